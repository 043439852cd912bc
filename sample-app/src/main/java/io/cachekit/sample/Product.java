package io.cachekit.sample;

import java.math.BigDecimal;

/**
 * A product of the catalog, cached as JSON (its package is trusted by the starter because it is
 * the application's own).
 *
 * @param id the product id, such as {@code p1}
 * @param name what the product is called
 * @param category the category it is listed under
 * @param price its price
 */
public record Product(String id, String name, String category, BigDecimal price) {
}
