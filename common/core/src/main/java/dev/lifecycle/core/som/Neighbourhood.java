package dev.lifecycle.core.som;

/** How strongly a node learns from points mapped to a node at a given distance on the grid. */
public enum Neighbourhood {
  /** exp(−d² / (2σ²)). */
  GAUSSIAN {
    @Override
    public double weight(double distanceSquared, double sigma) {
      return Math.exp(-distanceSquared / (2 * sigma * sigma));
    }
  },
  /** 1 within radius σ, else 0. */
  BUBBLE {
    @Override
    public double weight(double distanceSquared, double sigma) {
      return distanceSquared <= sigma * sigma + 1e-9 ? 1 : 0;
    }
  };

  /** The weight at squared grid distance {@code distanceSquared} for radius {@code sigma}. */
  public abstract double weight(double distanceSquared, double sigma);
}
