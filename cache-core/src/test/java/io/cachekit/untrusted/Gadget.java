package io.cachekit.untrusted;

import java.io.Serializable;

/** A class from a package no serializer under test trusts. */
public class Gadget implements Serializable {

	private static final long serialVersionUID = 1L;

	public String command = "rm -rf /";

}
