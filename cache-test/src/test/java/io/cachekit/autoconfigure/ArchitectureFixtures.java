package io.cachekit.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Breaks Boot's condition rule on purpose, for {@code ArchitectureTests.eachNewRuleFailsWhenBroken}. */
public final class ArchitectureFixtures {

	/** Names its own return type, which is the condition's default. */
	@Bean
	@ConditionalOnMissingBean(StringBuilder.class)
	StringBuilder text() {
		return new StringBuilder();
	}

}
