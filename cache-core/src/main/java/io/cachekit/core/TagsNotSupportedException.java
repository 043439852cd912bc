package io.cachekit.core;

/**
 * A tagged write or a tag invalidation asked of a backend that cannot keep tags: tags need a
 * loading layer with tags on ({@code LoadingSettings.withTags(true)}, or
 * {@code app.cache.tags.enabled}) over an engine that stores entry bytes and tag versions (the
 * Redis engine). A programming error: thrown in every failure mode, before anything is sent.
 */
public class TagsNotSupportedException extends UnsupportedOperationException {

	private static final long serialVersionUID = 1L;

	/**
	 * The exception for {@code backend}.
	 * @param backend the backend, or level, that was asked (named in the message)
	 */
	public TagsNotSupportedException(Object backend) {
		super("tags need a loading layer with tags on (LoadingSettings.withTags(true), app.cache.tags.enabled) over"
				+ " the Redis engine; " + backend.getClass().getName() + " keeps none");
	}

}
