package ${{ values.javaPackage }};

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import sun.misc.Signal;

/**
 * Makes SIGTERM, the way Kubernetes stops a pod, a normal shutdown that exits 0.
 * <p>
 * The JVM's own SIGTERM handler runs the shutdown hooks, Spring's graceful shutdown
 * included, but then always exits with 143 (128 + 15), so every clean stop looks like a
 * failure. This handler closes the context instead (in-flight requests finish, traces are
 * flushed) and exits with the code Spring Boot reports: 0, unless closing failed.
 * SIGINT (Ctrl-C) keeps the JVM's default behaviour.
 */
final class ShutdownSignals {

	private ShutdownSignals() {
	}

	static void exitCleanlyOnSigterm(ConfigurableApplicationContext context) {
		Signal.handle(new Signal("TERM"), (signal) -> System.exit(SpringApplication.exit(context)));
	}

}
