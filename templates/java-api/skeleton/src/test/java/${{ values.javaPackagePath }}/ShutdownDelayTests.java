package ${{ values.javaPackage }};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ShutdownDelayTests {

	@Test
	void keepsRunningForTheDelayWhenStopped() {
		var delay = new ShutdownDelay(Duration.ofMillis(300));
		delay.start();
		long started = System.nanoTime();
		delay.stop();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(delay.isRunning()).isFalse();
	}

	@Test
	void refusesANegativeDelay() {
		assertThatThrownBy(() -> new ShutdownDelay(Duration.ofSeconds(-1)))
			.hasMessageContaining("SHUTDOWN_DELAY");
	}

}
