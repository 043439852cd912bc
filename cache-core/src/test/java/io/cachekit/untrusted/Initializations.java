package io.cachekit.untrusted;

import java.util.concurrent.atomic.AtomicInteger;

/** How often {@link StaticInit} was initialized; reading this does not initialize it. */
public final class Initializations {

	public static final AtomicInteger COUNT = new AtomicInteger();

	private Initializations() {
	}

}
