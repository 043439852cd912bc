package io.cachekit.benchmarks.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ~1 KB payload: a catalogue product with a tag list, a plain Jackson bean (mutable, with a
 * no-argument constructor) so that every serializer under test reads it back without modules or
 * annotations. {@code tags} is an {@link ArrayList} so that the type-recording serializers
 * (CacheKit's {@code json(trustedPackages)}, Spring's {@code GenericJacksonJsonRedisSerializer})
 * record a class they can instantiate.
 */
public class Product {

	private String id;

	private String sku;

	private String name;

	private String brand;

	private String category;

	private String description;

	private long priceCents;

	private String currency;

	private int stock;

	private double rating;

	private int reviewCount;

	private boolean active;

	private List<String> tags = new ArrayList<>();

	public Product() {
	}

	public Product(String id, String sku, String name, String brand, String category, String description, long priceCents,
			String currency, int stock, double rating, int reviewCount, boolean active, List<String> tags) {
		this.id = id;
		this.sku = sku;
		this.name = name;
		this.brand = brand;
		this.category = category;
		this.description = description;
		this.priceCents = priceCents;
		this.currency = currency;
		this.stock = stock;
		this.rating = rating;
		this.reviewCount = reviewCount;
		this.active = active;
		this.tags = new ArrayList<>(tags);
	}

	public String getId() {
		return this.id;
	}

	public void setId(String id) {
		this.id = id;
	}

	public String getSku() {
		return this.sku;
	}

	public void setSku(String sku) {
		this.sku = sku;
	}

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public String getBrand() {
		return this.brand;
	}

	public void setBrand(String brand) {
		this.brand = brand;
	}

	public String getCategory() {
		return this.category;
	}

	public void setCategory(String category) {
		this.category = category;
	}

	public String getDescription() {
		return this.description;
	}

	public void setDescription(String description) {
		this.description = description;
	}

	public long getPriceCents() {
		return this.priceCents;
	}

	public void setPriceCents(long priceCents) {
		this.priceCents = priceCents;
	}

	public String getCurrency() {
		return this.currency;
	}

	public void setCurrency(String currency) {
		this.currency = currency;
	}

	public int getStock() {
		return this.stock;
	}

	public void setStock(int stock) {
		this.stock = stock;
	}

	public double getRating() {
		return this.rating;
	}

	public void setRating(double rating) {
		this.rating = rating;
	}

	public int getReviewCount() {
		return this.reviewCount;
	}

	public void setReviewCount(int reviewCount) {
		this.reviewCount = reviewCount;
	}

	public boolean isActive() {
		return this.active;
	}

	public void setActive(boolean active) {
		this.active = active;
	}

	public List<String> getTags() {
		return this.tags;
	}

	public void setTags(List<String> tags) {
		this.tags = tags;
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof Product that)) {
			return false;
		}
		return this.priceCents == that.priceCents && this.stock == that.stock
				&& Double.compare(this.rating, that.rating) == 0 && this.reviewCount == that.reviewCount
				&& this.active == that.active && Objects.equals(this.id, that.id) && Objects.equals(this.sku, that.sku)
				&& Objects.equals(this.name, that.name) && Objects.equals(this.brand, that.brand)
				&& Objects.equals(this.category, that.category) && Objects.equals(this.description, that.description)
				&& Objects.equals(this.currency, that.currency) && Objects.equals(this.tags, that.tags);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.id, this.sku, this.name);
	}

	@Override
	public String toString() {
		return "Product[" + this.id + ", " + this.name + "]";
	}

}
