package io.cachekit;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.Configuration;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.OperationListener;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.redis.internal.RedisUrls;
import io.cachekit.spring.health.CacheKitHealthIndicator;

/**
 * The architecture of cache-core and the starter (their production classes): no package cycles,
 * {@code autoconfigure} only wires, engine internals unreachable from the API packages,
 * auto-configuration classes {@code public final} with package-private {@code @Bean} methods.
 */
class ArchitectureTests {

	/** The production packages of cache-core and the starter (not test support, not tests). */
	private static final List<String> PACKAGES = List.of("io.cachekit.core", "io.cachekit.redis", "io.cachekit.loading",
			"io.cachekit.near", "io.cachekit.spring", "io.cachekit.autoconfigure");

	private static JavaClasses classes;

	@BeforeAll
	static void importClasses() {
		// cache-core is a directory when the build stops at test, a jar at verify: both count; its
		// test jar (and any test classes) do not
		ImportOption productionOnly = (location) -> !location.contains("/test-classes/") && !location.contains("-tests.jar");
		classes = new ClassFileImporter().withImportOption(productionOnly).importPackages(PACKAGES);
	}

	@Test
	void theImportSeesBothModules() {
		// a rule over no classes passes: make sure the ones it is about are there
		assertThat(classes.contain(RedisCacheBackend.class)).isTrue();
		assertThat(classes.contain(CacheKitAutoConfiguration.class)).isTrue();
		assertThat(classes.contain(CacheKitHealthIndicator.class)).isTrue();
		assertThat(classes.contain(RedisUrls.class)).isTrue();
		assertThat(classes.contain(io.cachekit.loading.LoadingLayer.class)).isTrue();
	}

	@Test
	void noPackageCycles() {
		check(slices().matching("io.cachekit.(*)..").should().beFreeOfCycles());
	}

	@Test
	void autoconfigureHoldsNoRuntimeComponent() {
		check(noClasses().that()
			.resideInAPackage("io.cachekit.autoconfigure..")
			.should()
			.beAssignableTo(CacheBackend.class)
			.orShould()
			.beAssignableTo(AsyncCacheBackend.class)
			.orShould()
			.beAssignableTo(CacheLevel.class)
			.orShould()
			.beAssignableTo(CacheLayer.class)
			.orShould()
			.beAssignableTo(CacheSerializer.class)
			.orShould()
			.beAssignableTo(OperationListener.class)
			.orShould()
			.beAssignableTo(org.springframework.cache.Cache.class)
			.orShould()
			.beAssignableTo(org.springframework.cache.CacheManager.class)
			.orShould()
			.beAssignableTo(SmartLifecycle.class)
			.because("runtime components live in io.cachekit.spring..: autoconfigure only wires them"));
	}

	@Test
	void autoconfigureOnlyWires() {
		check(classes().that()
			.resideInAPackage("io.cachekit.autoconfigure..")
			.and()
			.areTopLevelClasses()
			.and()
			.arePublic()
			.should()
			.beAnnotatedWith(AutoConfiguration.class)
			.orShould()
			.beAnnotatedWith(Configuration.class)
			.orShould()
			.beAnnotatedWith(ConfigurationProperties.class)
			.orShould()
			.beAssignableTo(FailureAnalyzer.class)
			.orShould()
			.beAssignableTo(Condition.class)
			.orShould()
			.beAssignableTo(RuntimeHintsRegistrar.class)
			.orShould(ArchCondition.from(describe("be a customizer interface",
					(JavaClass c) -> c.isInterface() && c.getSimpleName().endsWith("Customizer"))))
			.orShould()
			.beAssignableTo(IllegalStateException.class)
			.because("autoconfigure holds auto-configuration, properties, failure analyzers, customizer interfaces, "
					+ "conditions, AOT hints and the configuration exception; runtime components live in io.cachekit.spring.."));
	}

	@Test
	void engineInternalsAreNotReachableFromTheApiPackages() {
		check(noClasses().that()
			.resideInAnyPackage("io.cachekit.core..", "io.cachekit.loading..", "io.cachekit.near..", "io.cachekit.spring..")
			.and()
			.resideOutsideOfPackage("..internal..")
			.and(not(equivalentTo(CacheKitHealthIndicator.class)))
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.cachekit.redis.internal..")
			.because("io.cachekit.redis.internal.. is the engine, not API"));
	}

	@Test
	void layersBelowKnowNothingOfTheLayersAbove() {
		// the stack, bottom up: the contract and its seam, the near cache, the loading layer
		check(noClasses().that()
			.resideInAPackage("io.cachekit.core..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.cachekit.near..", "io.cachekit.loading..", "io.cachekit.redis..")
			.because("the contract and its seam are what every layer and engine stands on"));
		check(noClasses().that()
			.resideInAPackage("io.cachekit.near..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.cachekit.loading..", "io.cachekit.redis..")
			.because("the near cache is a layer over any engine and under the loading layer"));
		check(noClasses().that()
			.resideInAPackage("io.cachekit.loading..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.cachekit.near..", "io.cachekit.redis..")
			.because("the loading layer stands on the contract and the engine services it declares, nothing else"));
	}

	@Test
	void theHealthIndicatorUsesNoEngineInternalButTheUrlMasker() {
		// Allowed with a reason: the health indicator masks the credentials of URLs an error message may quote
		// with the one URL-credential parser there is (RedisUrls over UrlCredentials); a copy could disagree.
		check(noClasses().that()
			.areAssignableTo(CacheKitHealthIndicator.class)
			.should()
			.dependOnClassesThat(resideInAPackage("io.cachekit.redis.internal..").and(not(equivalentTo(RedisUrls.class))))
			.because("io.cachekit.redis.internal.. is the engine, not API"));
	}

	@Test
	void theRedisApiShowsNoInternalTypeInItsPublicSignatures() {
		check(methods().that()
			.arePublic()
			.and()
			.areDeclaredInClassesThat()
			.resideInAPackage("io.cachekit.redis")
			.and()
			.areDeclaredInClassesThat()
			.arePublic()
			.should(ArchCondition.from(describe("neither return nor take an internal type",
					(JavaMethod m) -> !isInternal(m.getRawReturnType())
							&& m.getRawParameterTypes().stream().noneMatch(ArchitectureTests::isInternal)))));
	}

	private static boolean isInternal(JavaClass type) {
		return type.getPackageName().contains(".internal");
	}

	@Test
	void autoConfigurationClassesArePublicFinal() {
		check(classes().that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL));
	}

	@Test
	void beanMethodsArePackagePrivate() {
		check(methods().that()
			.areAnnotatedWith(Bean.class)
			.and()
			.areDeclaredInClassesThat()
			.resideInAPackage("io.cachekit.autoconfigure..")
			.should()
			.bePackagePrivate());
	}

	private static void check(ArchRule rule) {
		rule.check(classes);
	}

}
