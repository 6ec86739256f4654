package ${{ values.javaPackage }};

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets come from files in {@code SECRETS_DIR}; here a test directory with a dummy value.
 */
@SpringBootTest(properties = "SECRETS_DIR=src/test/resources/secrets")
@ExtendWith(OutputCaptureExtension.class)
class SecretsTests {

	private static final String DUMMY_VALUE = "dummy-value-for-tests";

	@Autowired
	private Environment environment;

	@Test
	void eachFileBecomesAProperty() {
		// The trailing newline of the file is dropped.
		assertThat(this.environment.getProperty("DB_PASSWORD")).isEqualTo(DUMMY_VALUE);
	}

	@Test
	void logsSecretNamesButNeverValues(CapturedOutput output) {
		assertThat(output).contains("loaded 1 secret(s): DB_PASSWORD");
		assertThat(output).doesNotContain(DUMMY_VALUE);
	}

}
