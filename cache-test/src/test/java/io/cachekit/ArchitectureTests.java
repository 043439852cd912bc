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
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.Configuration;

import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.OperationListener;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.inmemory.InMemoryCacheBackend;
import io.cachekit.inmemory.autoconfigure.InMemoryCacheKitAutoConfiguration;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.redis.internal.RedisUrls;
import io.cachekit.spring.CacheKitLifecycle;

/**
 * The architecture of cache-core, the starter and cache-test's in-memory engine (their production
 * classes): no package cycles, {@code autoconfigure} only wires, engine internals unreachable from
 * everything else, the bridge speaking only the contract, auto-configuration classes
 * {@code public final} with package-private {@code @Bean} methods and Boot's condition rules. It
 * lives in cache-test, the one module whose class path holds all three. Each rule added with the
 * in-memory engine is also shown to fail on a class that breaks it ({@code io.cachekit.*.ArchitectureFixtures}).
 */
class ArchitectureTests {

	/** The production packages of cache-core, the starter and cache-test (not test support, not tests). */
	private static final List<String> PACKAGES = List.of("io.cachekit.core", "io.cachekit.redis", "io.cachekit.loading",
			"io.cachekit.near", "io.cachekit.spring", "io.cachekit.autoconfigure", "io.cachekit.inmemory");

	/** By name: Spring Boot's health module, which it extends, is not on this module's class path. */
	private static final String HEALTH_INDICATOR = "io.cachekit.spring.health.CacheKitHealthIndicator";

	/** Where auto-configuration lives: the starter's and the in-memory engine's. */
	private static final String[] AUTOCONFIGURE = { "io.cachekit.autoconfigure..", "io.cachekit.inmemory.autoconfigure.." };

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
		assertThat(classes.contain(HEALTH_INDICATOR)).isTrue();
		assertThat(classes.contain(RedisUrls.class)).isTrue();
		assertThat(classes.contain(io.cachekit.loading.LoadingLayer.class)).isTrue();
		assertThat(classes.contain(InMemoryCacheBackend.class)).isTrue();
		assertThat(classes.contain(InMemoryCacheKitAutoConfiguration.class)).isTrue();
		assertThat(classes.contain(ArchitectureTests.class)).as("tests are not imported").isFalse();
	}

	@Test
	void noPackageCycles() {
		check(slices().matching("io.cachekit.(*)..").should().beFreeOfCycles());
	}

	@Test
	void autoconfigureHoldsNoRuntimeComponent() {
		check(noClasses().that()
			.resideInAnyPackage(AUTOCONFIGURE)
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
			.resideInAnyPackage(AUTOCONFIGURE)
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
		check(engineInternalsStayInside());
	}

	/**
	 * Nothing outside the Redis engine uses its internals: not the API packages, not the starter
	 * (credentials are masked through {@code RedisConnection.mask}/{@code maskText}), not cache-test.
	 */
	static ArchRule engineInternalsStayInside() {
		return noClasses().that()
			.resideInAnyPackage("io.cachekit.core..", "io.cachekit.loading..", "io.cachekit.near..", "io.cachekit.spring..",
					"io.cachekit.autoconfigure..", "io.cachekit.inmemory..")
			.and()
			.resideOutsideOfPackage("..internal..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.cachekit.redis.internal..")
			.because("io.cachekit.redis.internal.. is the engine, not API");
	}

	@Test
	void theBridgeSpeaksOnlyTheContract() {
		check(bridgeSpeaksOnlyTheContract());
	}

	/**
	 * The bridge (the cache manager, its caches, the resolver) reaches a backend through the
	 * contract and the layer seam only, so every engine gets the same wiring. The lifecycle, which
	 * starts and stops Redis backends (the contract has no word for that), is the one class of
	 * the package that names them.
	 */
	static ArchRule bridgeSpeaksOnlyTheContract() {
		return noClasses().that()
			.resideInAPackage("io.cachekit.spring")
			.and(not(equivalentTo(CacheKitLifecycle.class)))
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.cachekit.redis..")
			.because("the bridge speaks the contract: any CacheBackend, a LayeredCacheBackend for views");
	}

	@Test
	void theInMemoryEngineStandsOnTheContractAlone() {
		check(inMemoryEngineStandsAlone());
	}

	/** The in-memory engine is an engine of its own: the contract and the seam, never the Redis engine. */
	static ArchRule inMemoryEngineStandsAlone() {
		return noClasses().that()
			.resideInAPackage("io.cachekit.inmemory")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.cachekit.redis..", "io.cachekit.spring..", "io.cachekit.autoconfigure..")
			.because("the in-memory engine is a second engine under the same contract");
	}

	@Test
	void conditionalOnMissingBeanNamesNoMoreThanTheReturnType() {
		check(conditionalOnMissingBeanIsNotOnlyTheReturnType());
	}

	/**
	 * Spring Boot's own rule: a {@code @ConditionalOnMissingBean} on a {@code @Bean} method does not
	 * name the method's return type as its only value (that is its default; naming it is noise that
	 * drifts when the return type changes).
	 */
	static ArchRule conditionalOnMissingBeanIsNotOnlyTheReturnType() {
		return methods().that()
			.areAnnotatedWith(ConditionalOnMissingBean.class)
			.should(new ArchCondition<JavaMethod>("not name only the method's return type") {

				@Override
				public void check(JavaMethod method, ConditionEvents events) {
					JavaAnnotation<JavaMethod> condition = method.getAnnotationOfType(ConditionalOnMissingBean.class.getName());
					Map<String, Object> properties = condition.getProperties();
					Object[] values = (Object[]) properties.getOrDefault("value", new Object[0]);
					Object[] names = (Object[]) properties.getOrDefault("name", new Object[0]);
					Object[] types = (Object[]) properties.getOrDefault("type", new Object[0]);
					if (names.length == 0 && types.length == 0 && values.length == 1
							&& values[0].equals(method.getReturnType())) {
						events.add(SimpleConditionEvent.violated(method,
								method.getFullName() + " names only its own return type in @ConditionalOnMissingBean"));
					}
				}

			})
			.allowEmptyShould(true);
	}

	/** Each rule added here fails on a class that breaks it (fixtures in the test sources, never in production). */
	@Test
	void eachNewRuleFailsWhenBroken() {
		JavaClasses fixtures = new ClassFileImporter().importClasses(io.cachekit.spring.ArchitectureFixtures.class,
				io.cachekit.inmemory.ArchitectureFixtures.class, io.cachekit.autoconfigure.ArchitectureFixtures.class);
		assertThat(bridgeSpeaksOnlyTheContract().evaluate(fixtures).hasViolation()).isTrue();
		assertThat(inMemoryEngineStandsAlone().evaluate(fixtures).hasViolation()).isTrue();
		assertThat(engineInternalsStayInside().evaluate(fixtures).hasViolation()).isTrue();
		assertThat(conditionalOnMissingBeanIsNotOnlyTheReturnType().evaluate(fixtures).hasViolation()).isTrue();
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
		check(inMemoryEngineStandsAlone());
	}

	@Test
	void theHealthIndicatorUsesNoEngineInternal() {
		// it masks URLs through RedisConnection.mask/maskText, the public face of the one masker
		check(noClasses().that()
			.areAssignableTo(HEALTH_INDICATOR)
			.should()
			.dependOnClassesThat(resideInAPackage("io.cachekit.redis.internal.."))
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
			.resideInAnyPackage(AUTOCONFIGURE)
			.should()
			.bePackagePrivate());
	}

	private static void check(ArchRule rule) {
		rule.check(classes);
	}

}
