package io.cachekit.loading;

/**
 * A value read by the loading layer with what its envelope says about it.
 *
 * @param value the value
 * @param expiresAtMillis logical expiry, epoch milliseconds; 0: none known
 * @param deltaMillis how long computing it took (XFetch's delta); 0: unknown
 * @param <T> the value type
 */
record Entry<T>(T value, long expiresAtMillis, long deltaMillis) {

	static <T> Entry<T> plain(T value) {
		return new Entry<>(value, 0, 0);
	}

	boolean isExpired(long nowMillis) {
		return this.expiresAtMillis != 0 && nowMillis >= this.expiresAtMillis;
	}

	/**
	 * XFetch (Vattani, Chierichetti, Lowenstein, PVLDB 8(8), 2015): refresh now when
	 * {@code now - delta * beta * ln(u) >= expiry}, u uniform in (0, 1], so the closer the expiry
	 * and the longer the recompute, the likelier an early refresh.
	 */
	boolean shouldRefreshEarly(long nowMillis, double beta, double uniform) {
		if (this.expiresAtMillis == 0) {
			return false;
		}
		// a load faster than the clock's tick still takes some time: without it, never early
		long delta = Math.max(1, this.deltaMillis);
		double u = (uniform <= 0) ? Double.MIN_VALUE : uniform;
		return nowMillis - delta * beta * Math.log(u) >= this.expiresAtMillis;
	}

}
