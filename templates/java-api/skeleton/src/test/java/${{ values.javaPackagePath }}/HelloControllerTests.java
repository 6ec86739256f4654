package ${{ values.javaPackage }};

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(HelloController.class)
class HelloControllerTests {

	@Autowired
	private MockMvc mvc;

	@Test
	void greetsByName() throws Exception {
		this.mvc.perform(get("/api/v1/hello").param("name", "Ada"))
			.andExpect(status().isOk())
			.andExpect(content().contentType(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.message").value("Hello, Ada!"));
	}

	@Test
	void greetsTheWorldWithoutName() throws Exception {
		this.mvc.perform(get("/api/v1/hello"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.message").value("Hello, world!"));
	}

	@Test
	void acceptsTheLongestName() throws Exception {
		this.mvc.perform(get("/api/v1/hello").param("name", "a".repeat(HelloController.MAX_NAME_LENGTH)))
			.andExpect(status().isOk());
	}

	@Test
	void rejectsTooLongName() throws Exception {
		this.mvc.perform(get("/api/v1/hello").param("name", "a".repeat(HelloController.MAX_NAME_LENGTH + 1)))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(400))
			.andExpect(jsonPath("$.detail").value("name must be at most 64 characters"));
	}

}
