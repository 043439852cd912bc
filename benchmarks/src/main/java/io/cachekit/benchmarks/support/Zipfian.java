package io.cachekit.benchmarks.support;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Key indexes drawn from a Zipfian distribution over {@code 0 .. n-1}: index {@code i} with
 * probability proportional to {@code 1 / (i + 1)^s}, by binary search of the cumulative
 * distribution (built once, {@code n} doubles). Shared by every thread.
 */
public final class Zipfian {

	private final double[] cdf;

	/**
	 * The distribution over {@code n} indexes with exponent {@code s}.
	 * @param n how many indexes
	 * @param s the exponent (0.99 is the usual skew of cache benchmarks)
	 */
	public Zipfian(int n, double s) {
		if (n < 1) {
			throw new IllegalArgumentException("n must be at least 1, was " + n);
		}
		this.cdf = new double[n];
		double sum = 0;
		for (int i = 0; i < n; i++) {
			sum += 1 / Math.pow(i + 1, s);
			this.cdf[i] = sum;
		}
		for (int i = 0; i < n; i++) {
			this.cdf[i] /= sum;
		}
	}

	/**
	 * How many indexes.
	 * @return n
	 */
	public int size() {
		return this.cdf.length;
	}

	/**
	 * The next index, from the calling thread's random numbers.
	 * @return an index in {@code 0 .. n-1}
	 */
	public int next() {
		double u = ThreadLocalRandom.current().nextDouble();
		int low = 0;
		int high = this.cdf.length - 1;
		while (low < high) {
			int mid = (low + high) >>> 1;
			if (this.cdf[mid] < u) {
				low = mid + 1;
			}
			else {
				high = mid;
			}
		}
		return low;
	}

}
