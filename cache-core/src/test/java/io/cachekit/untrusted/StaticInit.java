package io.cachekit.untrusted;

/** A class whose static initializer has a side effect: counted in {@link Initializations}. */
public class StaticInit {

	static {
		Initializations.COUNT.incrementAndGet();
	}

}
