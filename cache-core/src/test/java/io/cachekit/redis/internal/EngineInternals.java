package io.cachekit.redis.internal;

import java.util.concurrent.TimeUnit;

/** Looks inside an {@link Engine}, for tests that need to see its connection and counters. */
public final class EngineInternals {

	private EngineInternals() {
	}

	/** Commands whose deadline is still tracked. */
	public static int trackedDeadlines(Engine engine) {
		return engine.connector().deadlines().size();
	}

	/** Every failure counted since start. */
	public static long failuresTotal(Engine engine) {
		return engine.failures().total();
	}

	/** The connection's state, for failure messages. */
	public static String connectionState(Engine engine) {
		Link link = engine.connector().link();
		String conn = (link == null) ? "no link"
				: "link open=" + link.connection().isOpen() + ", fence broken="
						+ ((link.fence() != null) ? link.fence().isBroken() : "n/a") + ", fences sent="
						+ ((link.fence() != null) ? link.fence().fencesSent() : 0);
		if (link != null && link.fence() != null) {
			conn += " " + fenceFields(link.fence());
		}
		return conn;
	}

	private static String fenceFields(Object fence) {
		StringBuilder sb = new StringBuilder("[");
		for (java.lang.reflect.Field field : fence.getClass().getDeclaredFields()) {
			try {
				field.setAccessible(true);
				Object value = field.get(fence);
				if (field.getName().equals("lastReply")) {
					value = "age " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - (long) value) + " ms";
				}
				if (value instanceof java.util.Collection<?> c) {
					value = "size " + c.size();
				}
				sb.append(field.getName()).append('=').append(value).append(' ');
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				sb.append(field.getName()).append("=? ");
			}
		}
		return sb.append(']').toString();
	}

}
