package embed

import (
	"math"
	"slices"
)

// Project2D writes, for each of the rows of x (rows×dim, row-major), its
// coordinates on the first two principal components of the rows into
// dst[2i], dst[2i+1]. The components are the top two eigenvectors of the
// rows' covariance, found by power iteration (the second deflated and kept
// orthogonal to the first) from a fixed start, each oriented so that the
// row with the largest coordinate on it has a positive one: the same
// vectors give the same picture, bit for bit, on every platform. With
// dim = 1 the second coordinate is 0.
func Project2D(x []float64, rows, dim int, dst []float64) {
	dst = dst[:2*rows]
	clear(dst)
	if rows == 0 {
		return
	}
	mean := make([]float64, dim)
	for r := range rows {
		Axpy(1, x[r*dim:(r+1)*dim], mean)
	}
	for i := range mean {
		mean[i] /= float64(rows)
	}
	cov := make([]float64, dim*dim)
	c := make([]float64, dim)
	for r := range rows {
		row := x[r*dim : (r+1)*dim]
		for i := range c {
			c[i] = row[i] - mean[i]
		}
		for i, ci := range c {
			Axpy(ci, c, cov[i*dim:(i+1)*dim])
		}
	}
	e1 := topEigen(cov, dim, nil)
	var e2 []float64
	if dim > 1 {
		e2 = topEigen(cov, dim, e1)
	}
	for k, e := range [][]float64{e1, e2} {
		if e == nil {
			continue
		}
		big, at := -1.0, 0.0
		for r := range rows {
			row := x[r*dim : (r+1)*dim]
			p := 0.0
			for i := range e {
				p += (row[i] - mean[i]) * e[i]
			}
			dst[2*r+k] = p
			if math.Abs(p) > big {
				big, at = math.Abs(p), p
			}
		}
		if at < 0 {
			for r := range rows {
				dst[2*r+k] = -dst[2*r+k]
			}
		}
	}
}

// topEigen returns the unit eigenvector of the symmetric matrix a (n×n)
// with the largest eigenvalue, orthogonal to not (if non-nil), by power
// iteration from a fixed start: at most 1000 iterations, stopping when the
// vector moves less than 1e-12.
func topEigen(a []float64, n int, not []float64) []float64 {
	b := make([]float64, n)
	next := make([]float64, n)
	for i := range b {
		b[i] = 1 + float64(i)/float64(n) // not orthogonal to a generic vector
	}
	orth := func(v []float64) bool {
		if not != nil {
			Axpy(-Dot(not, v), not, v)
		}
		norm := math.Sqrt(Dot(v, v))
		if !(norm > 0) {
			return false
		}
		for i := range v {
			v[i] /= norm
		}
		return true
	}
	if !orth(b) {
		return b
	}
	for range 1000 {
		for i := range next {
			next[i] = Dot(a[i*n:(i+1)*n], b)
		}
		if !orth(next) {
			break // a is zero on the complement: any unit vector will do
		}
		moved := 0.0
		for i := range b {
			moved += (next[i] - b[i]) * (next[i] - b[i])
		}
		b, next = next, b
		if moved < 1e-24 {
			break
		}
	}
	return b
}

// A Neighbour is a row and its cosine similarity to another.
type Neighbour struct {
	Row    int
	Cosine float64
}

// Neighbours returns the n rows of x (rows×dim) most similar to row by
// cosine, best first, ties by row; a zero row has cosine 0 with every
// row.
func Neighbours(x []float64, rows, dim, row, n int) []Neighbour {
	u := x[row*dim : (row+1)*dim]
	nu := math.Sqrt(Dot(u, u))
	all := make([]Neighbour, 0, rows-1)
	for r := range rows {
		if r == row {
			continue
		}
		v := x[r*dim : (r+1)*dim]
		cos := 0.0
		if nv := math.Sqrt(Dot(v, v)); nu > 0 && nv > 0 {
			cos = Dot(u, v) / (nu * nv)
		}
		all = append(all, Neighbour{r, cos})
	}
	slices.SortFunc(all, func(a, b Neighbour) int {
		switch {
		case a.Cosine > b.Cosine:
			return -1
		case a.Cosine < b.Cosine:
			return 1
		}
		return a.Row - b.Row
	})
	return all[:min(n, len(all))]
}
