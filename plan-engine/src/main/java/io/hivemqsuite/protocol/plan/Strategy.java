package io.hivemqsuite.protocol.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * In which order the children of a plan (phases) or of a phase (steps) may make progress. Named as
 * dcos-commons names them, because the plan JSON shows the name.
 */
public enum Strategy {
    /** One child at a time, in order; a child in ERROR blocks the ones after it. */
    SERIAL("serial"),
    /** Every unfinished child at once; one child in ERROR does not hold the others back. */
    PARALLEL("parallel");

    private final String jsonName;

    Strategy(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** The children that may make progress now, given how each one's status is read. */
    public <T> List<T> eligible(List<T> children, Function<T, Status> status) {
        List<T> result = new ArrayList<>();
        for (T child : children) {
            Status s = status.apply(child);
            if (s == Status.COMPLETE) {
                continue;
            }
            if (this == SERIAL) {
                if (s != Status.ERROR) {
                    result.add(child);
                }
                return result;
            }
            if (s != Status.ERROR) {
                result.add(child);
            }
        }
        return result;
    }
}
