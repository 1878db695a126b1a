package dev.lifecycle.jobs.ingest;

import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.sql.Row;

/**
 * Value equality as Spark's DISTINCT sees it, for the external values of a {@link Row}: NaN
 * equals NaN, -0.0 equals 0.0, binary compares by content, and structs, arrays and maps compare
 * element by element with the same rules.
 */
final class SameValue {
  private SameValue() {}

  static boolean equal(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof Double || a instanceof Float) {
      if (!(b instanceof Double || b instanceof Float)) {
        return false;
      }
      double x = ((Number) a).doubleValue();
      double y = ((Number) b).doubleValue();
      return x == y || Double.isNaN(x) && Double.isNaN(y);
    }
    if (a instanceof byte[] bytes) {
      return b instanceof byte[] other && Arrays.equals(bytes, other);
    }
    if (a instanceof Row row) {
      if (!(b instanceof Row other) || row.length() != other.length()) {
        return false;
      }
      for (int i = 0; i < row.length(); i++) {
        if (!equal(row.get(i), other.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof scala.collection.Map<?, ?> map) {
      return b instanceof scala.collection.Map<?, ?> other && equalMaps(map, other);
    }
    if (a instanceof scala.collection.Seq<?> seq) {
      return b instanceof scala.collection.Seq<?> other && equalSeqs(seq, other);
    }
    return a.equals(b);
  }

  private static boolean equalSeqs(scala.collection.Seq<?> a, scala.collection.Seq<?> b) {
    if (a.size() != b.size()) {
      return false;
    }
    scala.collection.Iterator<?> x = a.iterator();
    scala.collection.Iterator<?> y = b.iterator();
    while (x.hasNext()) {
      if (!equal(x.next(), y.next())) {
        return false;
      }
    }
    return true;
  }

  /** Maps are equal when each key of one has an equal value under an equal key of the other. */
  private static boolean equalMaps(scala.collection.Map<?, ?> a, scala.collection.Map<?, ?> b) {
    if (a.size() != b.size()) {
      return false;
    }
    Iterator<? extends scala.Tuple2<?, ?>> left = scala.jdk.javaapi.CollectionConverters.asJava(a.iterator());
    while (left.hasNext()) {
      scala.Tuple2<?, ?> entry = left.next();
      boolean found = false;
      Iterator<? extends scala.Tuple2<?, ?>> right = scala.jdk.javaapi.CollectionConverters.asJava(b.iterator());
      while (right.hasNext() && !found) {
        scala.Tuple2<?, ?> candidate = right.next();
        found = equal(entry._1(), candidate._1()) && equal(entry._2(), candidate._2());
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }
}
