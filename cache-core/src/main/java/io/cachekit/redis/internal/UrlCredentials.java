package io.cachekit.redis.internal;

import java.util.List;
import java.util.Locale;

/**
 * Finds the credentials in URLs by parsing, never by a pattern that can fail open, to mask them
 * and to refuse user-info that Lettuce would read differently than we do.
 * <p>
 * The rules, for the part of a URL after {@code ://}:
 * <ul>
 * <li>The user-info is everything before the <em>last</em> {@code @}. An {@code @} in the path,
 * query or Sentinel master id ({@code #mymaster}) therefore makes more of the URL count as
 * user-info, never less: masking hides more than needed, and {@link #checkUserInfo} refuses the
 * URL with the advice to percent-encode it.</li>
 * <li>A user-info made only of characters that may stand unencoded in user-info (RFC 3986
 * unreserved and sub-delims, {@code :}, {@code %XX}, non-ASCII letters) is shown as
 * {@code user:****} (the user name is kept, it helps diagnose), or {@code ****} when it has no
 * {@code :} (Lettuce then reads the whole of it as the password). Any other user-info (one
 * with {@code #}, {@code /}, {@code ?}, a second {@code @}, whitespace, quotes...) is shown as
 * {@code ****}, user name included: we cannot tell where the user name ends.</li>
 * </ul>
 * In free text (a command line, a JSON document, an error message) every {@code ://} starts a
 * URL that runs to the next URL; a {@code ://} starts a new URL only when a character that no
 * parseable URL holds (whitespace, {@code " < > \ ^ ` { | }}) stands between it and the
 * previous {@code ://}, so a {@code ://} inside a password does not split it. A URL without
 * {@code @} is left as it is, unless some {@code @} follows it and either its authority does not
 * look like {@code host[:port][,host[:port]...]} or no {@code =} or {@code ,} separates it from
 * the next URL (whitespace and a {@code ://} might be the middle of a password): then the text
 * cannot be delimited safely and is masked whole. So
 * {@code --a=redis://h1 --b=redis://:pw@h2} and JSON keep {@code h1}, while
 * {@code redis://:ab cd://x@h} is masked whole.
 * <p>
 * Credentials can also stand in a URL's query or fragment ({@code ?password=s3cret},
 * {@code &user=app}, {@code #mymaster?sentinelPassword=...}): after a {@code ://}, the value of
 * every parameter whose name holds {@code pass}, {@code pwd}, {@code user}, {@code auth},
 * {@code secret}, {@code token} or {@code credential} (any case) is masked, up to the next
 * {@code &}, {@code ;}, {@code #}, {@code ?} or a character no URL holds. Lettuce itself ignores such
 * parameters; they are masked because they are shown.
 */
final class UrlCredentials {

	/** What a masked password, or a value masked whole, is replaced with. */
	static final String MASK = "****";

	private static final String SCHEME_SEPARATOR = "://";

	/** Characters no URL that {@link java.net.URI} (hence Lettuce, Spring Boot) accepts holds unencoded. */
	private static final String NEVER_IN_A_URL = "\"<>\\^`{|}";

	private static final String SUB_DELIMS = "!$&'()*+,;=";

	/** What may stand before a query or fragment parameter's name. */
	private static final String PARAMETER_STARTS = "?&;#";

	/** A parameter whose name holds one of these (lower case) may hold a credential. */
	private static final List<String> CREDENTIAL_WORDS = List.of("pass", "pwd", "user", "auth",
			"secret", "token", "credential");

	private UrlCredentials() {
	}

	/**
	 * One URL, its password masked. A string without {@code ://}, or with something before its
	 * scheme, but with {@code @} is not a URL we can read: whatever precedes its last {@code @} is
	 * masked. A URL without {@code @} whose authority is not {@code host[:port]...} (as
	 * {@code redis://:password}) has its authority masked.
	 */
	static String maskUrl(String url) {
		int separator = url.indexOf(SCHEME_SEPARATOR);
		if (separator < 0 || schemeStart(url, separator) > 0) {
			// no scheme, or something before it: not a URL we can read, any '@' may end a credential
			int at = url.lastIndexOf('@');
			return maskQueryCredentials((at >= 0) ? MASK + url.substring(at) : url);
		}
		String masked = maskText(url);
		int from = separator + SCHEME_SEPARATOR.length();
		if (url.indexOf('@', from) < 0 && !plausibleAuthority(url, from, url.length())) {
			// no user-info, yet no host[:port] either, as in redis://:password (the '@host' forgotten)
			return maskQueryCredentials(url.substring(0, from) + MASK + url.substring(authorityEnd(url, from, url.length())));
		}
		return masked;
	}

	/**
	 * {@code text} with the user-info of every URL in it masked, or {@value #MASK} when URLs in
	 * it cannot be delimited safely. Text without {@code ://} is returned as it is. Idempotent.
	 */
	static String maskText(String text) {
		String masked = maskUserInfos(text);
		return MASK.equals(masked) ? masked : maskQueryCredentials(masked);
	}

	/** {@link #maskText} for user-info only. */
	private static String maskUserInfos(String text) {
		int first = text.indexOf(SCHEME_SEPARATOR);
		if (first < 0 || text.indexOf('@', first) < 0) {
			return text;
		}
		StringBuilder out = new StringBuilder(text.length());
		int urlStart = schemeStart(text, first);
		out.append(text, 0, urlStart);
		int separator = first;
		while (separator >= 0) {
			int next = nextUrl(text, separator);
			int nextStart = (next >= 0) ? schemeStart(text, next) : text.length();
			int infoStart = separator + SCHEME_SEPARATOR.length();
			int at = text.lastIndexOf('@', nextStart - 1);
			if (at >= infoStart) {
				out.append(text, urlStart, infoStart).append(maskUserInfo(text.substring(infoStart, at)));
				out.append(text, at, nextStart);
			}
			else {
				if (text.indexOf('@', nextStart) >= 0
						&& (!plausibleAuthority(text, infoStart, nextStart) || !separated(text, infoStart, nextStart))) {
					return MASK;
				}
				out.append(text, urlStart, nextStart);
			}
			separator = next;
			urlStart = nextStart;
		}
		return out.toString();
	}

	/**
	 * Checks that the user-info of {@code url} (see the class rules) holds only characters that
	 * may stand unencoded there, so that Lettuce, {@link java.net.URI} and we all read the same
	 * user name, password and host.
	 * @throws IllegalArgumentException naming {@code redisUrl}, showing no part of the user-info
	 */
	static void checkUserInfo(String url) {
		int separator = url.indexOf(SCHEME_SEPARATOR);
		if (separator < 0) {
			return;
		}
		String rest = url.substring(separator + SCHEME_SEPARATOR.length());
		int at = rest.lastIndexOf('@');
		if (at >= 0 && !isPlainUserInfo(rest.substring(0, at))) {
			// the URL comes last: an '@' after it would make maskText() take the whole message for user-info
			throw new IllegalArgumentException("redisUrl has characters in its user-info (the part before the last "
					+ "'@') that must be percent-encoded, or an '@' after the host: write '#' as %23, '/' as %2F, "
					+ "'?' as %3F, '@' as %40, '%' as %25 (and spaces, quotes, brackets as their %XX code) in the "
					+ "user name and password of '" + maskUrl(url) + "'");
		}
	}

	/**
	 * {@code text} with the value of every credential parameter ({@code ?password=...},
	 * {@code &user=...}: see the class rules) after its first {@code ://} masked.
	 */
	private static String maskQueryCredentials(String text) {
		int first = text.indexOf(SCHEME_SEPARATOR);
		if (first < 0) {
			return text;
		}
		StringBuilder out = null;
		int copied = 0;
		for (int i = first + SCHEME_SEPARATOR.length(); i < text.length(); i++) {
			if (PARAMETER_STARTS.indexOf(text.charAt(i)) < 0) {
				continue;
			}
			int nameEnd = i + 1;
			while (nameEnd < text.length() && isParameterNameChar(text.charAt(nameEnd))) {
				nameEnd++;
			}
			if (nameEnd == i + 1 || nameEnd >= text.length() || text.charAt(nameEnd) != '='
					|| !isCredentialName(text.substring(i + 1, nameEnd))) {
				continue;
			}
			int valueEnd = nameEnd + 1;
			while (valueEnd < text.length() && PARAMETER_STARTS.indexOf(text.charAt(valueEnd)) < 0
					&& !isNeverInUrl(text.charAt(valueEnd))) {
				valueEnd++;
			}
			if (valueEnd > nameEnd + 1) {
				out = (out != null) ? out : new StringBuilder(text.length());
				out.append(text, copied, nameEnd + 1).append(MASK);
				copied = valueEnd;
			}
			i = valueEnd - 1;
		}
		return (out != null) ? out.append(text, copied, text.length()).toString() : text;
	}

	private static boolean isParameterNameChar(char c) {
		return isUnreserved(c) || c == '%';
	}

	private static boolean isCredentialName(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		for (String word : CREDENTIAL_WORDS) {
			if (lower.contains(word)) {
				return true;
			}
		}
		return false;
	}

	private static String maskUserInfo(String userInfo) {
		if (!isPlainUserInfo(userInfo)) {
			return MASK;
		}
		int colon = userInfo.indexOf(':');
		return (colon >= 0) ? userInfo.substring(0, colon + 1) + MASK : MASK;
	}

	/** Whether every character of {@code userInfo} may stand unencoded in user-info. */
	private static boolean isPlainUserInfo(String userInfo) {
		for (int i = 0; i < userInfo.length(); i++) {
			char c = userInfo.charAt(i);
			if (c == '%') {
				if (i + 2 >= userInfo.length() || !isHex(userInfo.charAt(i + 1)) || !isHex(userInfo.charAt(i + 2))) {
					return false;
				}
				i += 2;
			}
			else if (!isUnreserved(c) && SUB_DELIMS.indexOf(c) < 0 && c != ':' && !isOther(c)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The next {@code ://} after the one at {@code separator} that starts another URL: one with a
	 * character no URL holds between the two, or -1.
	 */
	private static int nextUrl(String text, int separator) {
		int from = separator + SCHEME_SEPARATOR.length();
		int boundary = -1;
		for (int i = from; i < text.length(); i++) {
			if (boundary < 0 && isNeverInUrl(text.charAt(i))) {
				boundary = i;
			}
			if (boundary >= 0 && text.startsWith(SCHEME_SEPARATOR, i) && schemeStart(text, i) > boundary) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * Whether what stands between the URL whose part after {@code ://} starts at {@code from} and
	 * the next URL, starting at {@code nextStart}, reads as a separator of values: from the first
	 * character no URL holds, it has an {@code =} (as in {@code --key=}, {@code key=}) or a
	 * {@code ,} (a list, JSON). Only whitespace or quotes might be a password's middle.
	 */
	private static boolean separated(String text, int from, int nextStart) {
		int boundary = from;
		while (boundary < nextStart && !isNeverInUrl(text.charAt(boundary))) {
			boundary++;
		}
		for (int i = boundary; i < nextStart; i++) {
			if (text.charAt(i) == '=' || text.charAt(i) == ',') {
				return true;
			}
		}
		return false;
	}

	/** Where the scheme before the {@code ://} at {@code separator} starts. */
	private static int schemeStart(String text, int separator) {
		int start = separator;
		while (start > 0 && isSchemeChar(text.charAt(start - 1))) {
			start--;
		}
		return start;
	}

	/**
	 * Whether {@code text[from, to)}, a URL's part after {@code ://}, starts with
	 * {@code host[:port][,host[:port]...]} (possibly empty, as in {@code redis-socket:///path})
	 * up to its path, query, fragment or the end of the URL.
	 */
	private static boolean plausibleAuthority(String text, int from, int to) {
		int end = authorityEnd(text, from, to);
		if (end == from) {
			return true;
		}
		for (String hostAndPort : text.substring(from, end).split(",", -1)) {
			String host = hostAndPort;
			int bracket = hostAndPort.lastIndexOf(']');
			int colon = hostAndPort.lastIndexOf(':');
			if (colon > bracket) {
				String port = hostAndPort.substring(colon + 1);
				host = hostAndPort.substring(0, colon);
				if (!port.chars().allMatch((c) -> c >= '0' && c <= '9')) {
					return false;
				}
			}
			if (host.isEmpty() || !host.chars().allMatch((c) -> isUnreserved((char) c) || c == '[' || c == ']'
					|| c == ':' || c == '%' || isOther((char) c))) {
				return false;
			}
		}
		return true;
	}

	/** Where the authority that starts at {@code from} ends: at its path, query, fragment or end. */
	private static int authorityEnd(String text, int from, int to) {
		int end = from;
		while (end < to && "/?#".indexOf(text.charAt(end)) < 0 && !isNeverInUrl(text.charAt(end))) {
			end++;
		}
		return end;
	}

	private static boolean isNeverInUrl(char c) {
		return Character.isWhitespace(c) || Character.isISOControl(c) || NEVER_IN_A_URL.indexOf(c) >= 0;
	}

	private static boolean isSchemeChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-'
				|| c == '.';
	}

	private static boolean isUnreserved(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
				|| c == '_' || c == '~';
	}

	/** {@link java.net.URI}'s "other" characters: non-ASCII, neither control nor space. */
	private static boolean isOther(char c) {
		return c > 0x7F && !Character.isISOControl(c) && !Character.isSpaceChar(c);
	}

	private static boolean isHex(char c) {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

}
