package ${{ values.javaPackage }};

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps serving for SHUTDOWN_DELAY (default 5s) after shutdown starts, before the web server
 * stops accepting connections. Spring Boot turns readiness to REFUSING_TRAFFIC as soon as the
 * context starts closing, so load balancers that learn from the readiness probe stop sending
 * requests before any is refused. The Deployment's terminationGracePeriodSeconds covers the
 * preStop sleep, this delay and the graceful shutdown (spring.lifecycle.timeout-per-shutdown-phase).
 */
@Component
class ShutdownDelay implements SmartLifecycle {

	private final Duration delay;

	private volatile boolean running;

	ShutdownDelay(@Value("${SHUTDOWN_DELAY:5s}") Duration delay) {
		if (delay.isNegative()) {
			throw new IllegalArgumentException("SHUTDOWN_DELAY must not be negative, got " + delay);
		}
		this.delay = delay;
	}

	Duration delay() {
		return delay;
	}

	@Override
	public void start() {
		running = true;
	}

	@Override
	public void stop() {
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		running = false;
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Stopped first: before the web server's graceful shutdown, which has a lower phase. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

}
