package ${{ values.javaPackage }};

import jakarta.validation.constraints.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The example endpoint: {@code GET /api/v1/hello?name=Ada}.
 * <p>
 * A parameter that breaks its constraint is answered with {@code 400} and an RFC 9457
 * problem detail whose {@code detail} is the constraint's message (see
 * {@code messages.properties}).
 */
@RestController
@RequestMapping("/api/v1")
class HelloController {

	static final int MAX_NAME_LENGTH = 64;

	private static final Logger logger = LoggerFactory.getLogger(HelloController.class);

	@GetMapping("/hello")
	HelloResponse hello(@RequestParam(defaultValue = "world") @Size(max = MAX_NAME_LENGTH,
			message = "name must be at most " + MAX_NAME_LENGTH + " characters") String name) {
		logger.info("said hello, name_length={}", name.length());
		return new HelloResponse("Hello, " + name + "!");
	}

	record HelloResponse(String message) {
	}

}
