#!/usr/bin/python3
"""minisom_batch.py CSV ROWS COLS ITERATIONS [options]

Peer benchmark: MiniSom.train_batch_offline on a CSV with header f0,f1,f2.
Run with PYTHONPATH pointing at a MiniSom checkout (measured with MiniSom 2.3.6, git 2eb8bd7).

Options
  --init pca|random            weights init (default pca)
  --sigma S                    initial neighbourhood radius
                               (default max(ROWS,COLS)/2; MiniSom's own default is 1)
  --neighborhood gaussian|bubble|mexican_hat|triangle   (default gaussian)
  --topology rectangular|hexagonal                      (default rectangular)
  --learning-rate LR           MiniSom learning_rate (default 0.5 = MiniSom default)
  --lr-decay asymptotic_decay|inverse_decay_to_zero|linear_decay_to_zero|constant
                               (default asymptotic_decay = MiniSom default;
                                'constant' keeps LR fixed -> with --learning-rate 1
                                this is the pure Kohonen batch rule W = num/den)
  --sigma-decay asymptotic_decay|inverse_decay_to_one|linear_decay_to_one|exponential
                               (default asymptotic_decay = MiniSom default; 'exponential'
                                is lifecycle's schedule, S * (END/S)^(t/(ITERATIONS-1)),
                                set on the instance since MiniSom takes names only)
  --sigma-end END              last radius of --sigma-decay exponential (default 1)
  --fast                       use train_batch_offline_fast (numba) instead
  --init-out FILE              write the initial codebook (row,col,w0,w1,w2)
  --weights-out FILE           write the final codebook (row,col,w0,w1,w2)
  --eval-chunk K               QE/TE are evaluated with MiniSom's own
                               quantization_error/topographic_error on chunks of
                               K rows and combined as a row-weighted mean (exactly
                               equal to the unchunked value; bounds memory).
                               Default 100000.

Prints one JSON line.
"""
import argparse
import json
import resource
import time

import numpy as np

import minisom
from minisom import MiniSom


def rss_mib():
    # ru_maxrss is KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def constant_decay(value, t, max_iter):
    return value


def write_codebook(path, w):
    rows, cols, dim = w.shape
    with open(path, 'w') as f:
        f.write('row,col,' + ','.join('w%d' % k for k in range(dim)) + '\n')
        for i in range(rows):
            for j in range(cols):
                f.write('%d,%d,%s\n' % (i, j, ','.join(
                    repr(float(v)) for v in w[i, j])))


def chunked_metric(fn, data, chunk):
    n = len(data)
    total = 0.0
    for s in range(0, n, chunk):
        part = data[s:s + chunk]
        total += fn(part) * len(part)
    return total / n


def main():
    p = argparse.ArgumentParser()
    p.add_argument('csv')
    p.add_argument('rows', type=int)
    p.add_argument('cols', type=int)
    p.add_argument('iterations', type=int)
    p.add_argument('--init', choices=['pca', 'random'], default='pca')
    p.add_argument('--sigma', type=float, default=None)
    p.add_argument('--neighborhood', default='gaussian',
                   choices=['gaussian', 'bubble', 'mexican_hat', 'triangle'])
    p.add_argument('--topology', default='rectangular',
                   choices=['rectangular', 'hexagonal'])
    p.add_argument('--learning-rate', type=float, default=0.5)
    p.add_argument('--lr-decay', default='asymptotic_decay',
                   choices=['asymptotic_decay', 'inverse_decay_to_zero',
                            'linear_decay_to_zero', 'constant'])
    p.add_argument('--sigma-decay', default='asymptotic_decay',
                   choices=['asymptotic_decay', 'inverse_decay_to_one',
                            'linear_decay_to_one', 'exponential'])
    p.add_argument('--sigma-end', type=float, default=1.0)
    p.add_argument('--fast', action='store_true')
    p.add_argument('--init-out')
    p.add_argument('--weights-out')
    p.add_argument('--eval-chunk', type=int, default=100000)
    a = p.parse_args()

    sigma = a.sigma if a.sigma is not None else max(a.rows, a.cols) / 2.0

    t0 = time.perf_counter()
    data = np.loadtxt(a.csv, delimiter=',', skiprows=1, dtype=np.float64)
    if data.ndim == 1:
        data = data.reshape(-1, 1)
    load_s = time.perf_counter() - t0

    lr_decay = constant_decay if a.lr_decay == 'constant' else a.lr_decay
    som = MiniSom(a.rows, a.cols, data.shape[1], sigma=sigma,
                  learning_rate=a.learning_rate, decay_function=lr_decay,
                  neighborhood_function=a.neighborhood, topology=a.topology,
                  sigma_decay_function='asymptotic_decay' if a.sigma_decay == 'exponential'
                  else a.sigma_decay, random_seed=1)
    if a.sigma_decay == 'exponential':
        def exponential(start, t, max_iter):
            if max_iter == 1:
                return a.sigma_end
            return start * (a.sigma_end / start) ** (t / (max_iter - 1))
        som._sigma_decay_function = exponential

    t0 = time.perf_counter()
    if a.init == 'pca':
        som.pca_weights_init(data)
    else:
        som.random_weights_init(data)
    init_s = time.perf_counter() - t0
    if a.init_out:
        write_codebook(a.init_out, som.get_weights())

    train = som.train_batch_offline_fast if a.fast else som.train_batch_offline
    t0 = time.perf_counter()
    train(data, a.iterations)
    train_s = time.perf_counter() - t0
    rss_after_train = rss_mib()

    t0 = time.perf_counter()
    qe = chunked_metric(som.quantization_error, data, a.eval_chunk)
    te = chunked_metric(som.topographic_error, data, a.eval_chunk)
    eval_s = time.perf_counter() - t0

    if a.weights_out:
        write_codebook(a.weights_out, som.get_weights())

    print(json.dumps({
        'impl': 'minisom.train_batch_offline' + ('_fast' if a.fast else ''),
        'minisom_file': minisom.__file__,
        'csv': a.csv, 'n': int(data.shape[0]), 'dim': int(data.shape[1]),
        'rows': a.rows, 'cols': a.cols, 'iterations': a.iterations,
        'init': a.init, 'sigma': sigma,
        'sigma_decay': a.sigma_decay,
        'sigma_final_iter': som._sigma_decay_function(
            sigma, a.iterations - 1, a.iterations),
        'neighborhood': a.neighborhood, 'topology': a.topology,
        'learning_rate': a.learning_rate, 'lr_decay': a.lr_decay,
        'random_seed': 1,
        'train_seconds': round(train_s, 3),
        'init_seconds': round(init_s, 3),
        'load_seconds': round(load_s, 3),
        'eval_seconds': round(eval_s, 3),
        'quantization_error': qe,
        'topographic_error': te,
        'peak_rss_mib_after_train': round(rss_after_train, 1),
        'peak_rss_mib': round(rss_mib(), 1),
    }))


if __name__ == '__main__':
    main()
