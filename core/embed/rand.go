package embed

import "math/rand/v2"

// PCG32 is O'Neill's PCG-XSH-RR generator: 64 bits of state, 32 random bits
// per step, for the hot loops that draw negatives. Its step is one 64-bit
// multiply, an add, shifts and a rotate: the same bits on every platform,
// and in WebAssembly several times cheaper than math/rand/v2's PCG, whose
// 128-bit multiply Go's wasm emulates. It is seeded from one of the run's
// math/rand/v2 PCG streams (NewPCG32), so one seed still derives every
// stream. Copy it into a local in a loop and store it back after: its
// Next inlines and the state stays in a register.
type PCG32 struct {
	State, Inc uint64 // Inc is odd
}

// NewPCG32 seeds a PCG32 with two draws from r.
func NewPCG32(r *rand.PCG) PCG32 {
	return PCG32{State: r.Uint64(), Inc: r.Uint64() | 1}
}

// Next returns 32 random bits.
func (p *PCG32) Next() uint32 {
	old := p.State
	p.State = old*6364136223846793005 + p.Inc
	x := uint32(((old >> 18) ^ old) >> 27)
	rot := uint32(old >> 59)
	return x>>rot | x<<(-rot&31)
}
