package io.cachekit.core;

/** Helpers for the glob patterns of {@link CacheBackend#invalidatePattern(String)}. */
public final class KeyPatterns {

	private KeyPatterns() {
	}

	/**
	 * Escapes the glob characters ({@code * ? [ ] ^ - \}) in {@code literal}, so that it matches
	 * only itself inside a pattern: {@code escape(cacheName) + "::*"}.
	 * @param literal text to match literally
	 * @return {@code literal} with its glob characters escaped
	 */
	public static String escape(String literal) {
		StringBuilder sb = new StringBuilder(literal.length() + 4);
		for (int i = 0; i < literal.length(); i++) {
			char c = literal.charAt(i);
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^' || c == '-') {
				sb.append('\\');
			}
			sb.append(c);
		}
		return sb.toString();
	}

}
