package io.cachekit.benchmarks.support;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Virtual threads for a suite compiled for Java 17: {@code Executors.newVirtualThreadPerTaskExecutor()}
 * (Java 21+) looked up at run time, so the benchmark builds on JDK 17 and runs on a JDK that has it
 * ({@code benchmarks/run.sh} runs it on JDK 25).
 */
public final class VirtualThreads {

	private VirtualThreads() {
	}

	/** An executor starting one new virtual thread per task; fails with a readable message before Java 21. */
	public static ExecutorService newPerTaskExecutor() {
		MethodHandle factory;
		try {
			factory = MethodHandles.publicLookup()
				.findStatic(Executors.class, "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
		}
		catch (NoSuchMethodException | IllegalAccessException ex) {
			throw new IllegalStateException("virtual threads need Java 21 or later; this JVM is " + Runtime.version(), ex);
		}
		try {
			return (ExecutorService) factory.invokeExact();
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Whether {@code thread} is virtual ({@code Thread.isVirtual()}, Java 21+); false before Java 21. */
	public static boolean isVirtual(Thread thread) {
		try {
			return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
