package io.cachekit.sample;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts the catalog's endpoints behind the {@link RateLimitInterceptor}; Actuator and {@code /cache} are not limited. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
public class WebConfig implements WebMvcConfigurer {

	private final RateLimitInterceptor rateLimit;

	public WebConfig(RateLimitInterceptor rateLimit) {
		this.rateLimit = rateLimit;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this.rateLimit).addPathPatterns("/products/**", "/categories/**");
	}

}
