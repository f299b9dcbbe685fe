package main

// slotClass is the class of a panel's plot slot: its shape follows the
// dimension (wide for 1D curves, near square for 2D maps).
func slotClass(dim int) string {
	if dim == 2 {
		return "nce-slot nce-slot-2d"
	}
	return "nce-slot nce-slot-1d"
}
