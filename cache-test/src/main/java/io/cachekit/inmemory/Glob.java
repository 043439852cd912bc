package io.cachekit.inmemory;

import java.nio.charset.StandardCharsets;

/**
 * Redis' glob matching (its {@code stringmatchlen}, as SCAN MATCH uses it), on the UTF-8 bytes of
 * key and pattern: {@code *}, {@code ?}, {@code [abc]}, {@code [^a]}, {@code [a-z]}, and
 * {@code \} escaping the next character, inside brackets too. Like Redis, {@code ?} matches one
 * byte, and a {@code [} without its {@code ]} runs to the end of the pattern.
 */
final class Glob {

	private final byte[] pattern;

	private Glob(byte[] pattern) {
		this.pattern = pattern;
	}

	static Glob compile(String pattern) {
		return new Glob(pattern.getBytes(StandardCharsets.UTF_8));
	}

	boolean matches(String key) {
		return match(this.pattern, 0, key.getBytes(StandardCharsets.UTF_8), 0, new boolean[1]);
	}

	/** {@code skipLonger}: set once a {@code *} has failed at every later position, as in Redis. */
	private static boolean match(byte[] p, int pi, byte[] s, int si, boolean[] skipLonger) {
		while (pi < p.length && si < s.length) {
			switch (p[pi]) {
				case '*' -> {
					while (pi + 1 < p.length && p[pi + 1] == '*') {
						pi++;
					}
					if (pi + 1 == p.length) {
						return true;
					}
					while (si < s.length) {
						if (match(p, pi + 1, s, si, skipLonger)) {
							return true;
						}
						if (skipLonger[0]) {
							return false;
						}
						si++;
					}
					skipLonger[0] = true;
					return false;
				}
				case '?' -> si++;
				case '[' -> {
					pi++;
					boolean not = pi < p.length && p[pi] == '^';
					if (not) {
						pi++;
					}
					boolean matched = false;
					while (true) {
						if (pi < p.length && p[pi] == '\\' && p.length - pi >= 2) {
							pi++;
							if (p[pi] == s[si]) {
								matched = true;
							}
						}
						else if (pi < p.length && p[pi] == ']') {
							break;
						}
						else if (pi >= p.length) {
							// unterminated class: Redis steps back so the loop's advance ends the pattern
							pi--;
							break;
						}
						else if (p.length - pi >= 3 && p[pi + 1] == '-') {
							int start = p[pi];
							int end = p[pi + 2];
							if (start > end) {
								int t = start;
								start = end;
								end = t;
							}
							pi += 2;
							if (s[si] >= start && s[si] <= end) {
								matched = true;
							}
						}
						else if (p[pi] == s[si]) {
							matched = true;
						}
						pi++;
					}
					if (not) {
						matched = !matched;
					}
					if (!matched) {
						return false;
					}
					si++;
				}
				case '\\' -> {
					if (p.length - pi >= 2) {
						pi++;
					}
					if (p[pi] != s[si]) {
						return false;
					}
					si++;
				}
				default -> {
					if (p[pi] != s[si]) {
						return false;
					}
					si++;
				}
			}
			pi++;
			if (si == s.length) {
				while (pi < p.length && p[pi] == '*') {
					pi++;
				}
				break;
			}
		}
		return pi >= p.length && si == s.length;
	}

}
