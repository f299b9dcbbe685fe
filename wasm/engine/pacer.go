package engine

import "time"

// A Pacer meters training steps at Rate steps per second: tokens accrue
// with time, at most MaxBurst seconds' worth, so a slow spell is not
// followed by a burst that would freeze the frames.
type Pacer struct {
	Rate   float64 // steps per second
	tokens float64
	last   time.Time
}

// MaxBurst caps the steps saved up, in seconds of Rate.
const MaxBurst = 0.1

// Start restarts the meter at now, with one step due at once.
func (p *Pacer) Start(now time.Time) { p.last, p.tokens = now, 1 }

// Due adds the tokens accrued since the last call and returns the whole
// steps that are due.
func (p *Pacer) Due(now time.Time) int {
	dt := now.Sub(p.last).Seconds()
	p.last = now
	if dt > 0 {
		p.tokens = min(p.tokens+dt*p.Rate, max(1, MaxBurst*p.Rate))
	}
	return int(p.tokens)
}

// Spend takes n steps' tokens.
func (p *Pacer) Spend(n int) { p.tokens -= float64(n) }

// Wait returns how long until the next step is due.
func (p *Pacer) Wait() time.Duration {
	if p.tokens >= 1 || p.Rate <= 0 {
		return 0
	}
	return time.Duration((1 - p.tokens) / p.Rate * float64(time.Second))
}

// SmoothCost folds a new measurement of a cost (seconds per step or per
// unit) into its running estimate prev (0: none yet), so that the slices
// sized by it follow the machine without jumping with every measurement.
func SmoothCost(prev, measured float64) float64 {
	if prev == 0 {
		return measured
	}
	return 0.7*prev + 0.3*measured
}
