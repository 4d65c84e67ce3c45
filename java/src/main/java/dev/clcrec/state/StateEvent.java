package dev.clcrec.state;

import java.util.List;

/**
 * One acknowledged change of a service's live state, as journaled: applying a bundle's model and
 * then every event in order gives exactly the state the service had acknowledged.
 */
public sealed interface StateEvent {
    /** Items made recommendable, all at once. */
    record ItemsAdded(List<ItemContent> items) implements StateEvent {
        public ItemsAdded {
            items = List.copyOf(items);
        }
    }

    /** Items taken out of the catalog, all at once. */
    record ItemsRemoved(List<String> ids) implements StateEvent {
        public ItemsRemoved {
            ids = List.copyOf(ids);
        }
    }

    /** Interactions recorded, all at once (only the accepted entries of a request). */
    record InteractionsRecorded(List<Interaction> interactions) implements StateEvent {
        public InteractionsRecorded {
            interactions = List.copyOf(interactions);
        }
    }
}
