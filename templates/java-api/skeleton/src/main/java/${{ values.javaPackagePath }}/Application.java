package ${{ values.javaPackage }};

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

@SpringBootApplication
public class Application {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(Application.class);
		application.addListeners(new TelemetryOff(), new BaggagePropagation());
		ConfigurableApplicationContext context = application.run(args);
		ShutdownSignals.exitCleanlyOnSigterm(context);
	}

}
