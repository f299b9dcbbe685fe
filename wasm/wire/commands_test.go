package wire

import "testing"

func TestCommandsCatchUp(t *testing.T) {
	var c Commands
	if !c.Caught(0) {
		t.Error("no command sent, and a frame has not caught up")
	}
	a, b := c.Next(), c.Next()
	if a != 1 || b != 2 {
		t.Fatalf("Next gave %d, %d, want 1, 2", a, b)
	}
	for seq, want := range map[int]bool{0: false, 1: false, 2: true, 3: true} {
		if c.Caught(seq) != want {
			t.Errorf("after command 2, a frame that echoes %d caught up: %v, want %v", seq, !want, want)
		}
	}
}
