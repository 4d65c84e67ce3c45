package dev.clcrec.api;

/**
 * One recommended item.
 *
 * @param item dense item id (or, for new items, the row of the features they were embedded from)
 * @param itemId the item's external id when the dataset has one, else the dense id as text
 * @param score the model's score (dot product of user and item representations)
 */
public record Recommendation(int item, String itemId, float score) {}
