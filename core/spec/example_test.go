package spec_test

import (
	"fmt"

	"nceplay/core/spec"
)

// Parse reports every bad key and runs the defaults for it; the spec it
// returns is always valid.
func ExampleParse() {
	s, err := spec.Parse("?target=moons&model=mlp&k=abc&lr=1e-3&deg=6")
	fmt.Println(err)
	fmt.Println(s.K, s.Dim())
	fmt.Println(s.Canonical())
	// Output:
	// spec: key "k": value "abc" is not a whole number; allowed: 1 … 1024
	// 1 2
	// target=moons&model=mlp&lr=0.001
}

// Canonical omits defaults and irrelevant keys; ExperimentQuery also
// omits the view-only keys.
func ExampleSpec_Canonical() {
	s := spec.Default()
	s.Obj, s.Norm, s.K, s.View.Theme = "rank", "fixed", 100, "dark"
	fmt.Printf("%q\n", s.Canonical())
	fmt.Printf("%q\n", s.ExperimentQuery())
	fmt.Printf("%q\n", spec.Default().Canonical())
	// Output:
	// "obj=rank&k=100&theme=dark"
	// "obj=rank&k=100"
	// ""
}

func ExampleSpec_StepCost() {
	s, err := spec.Parse("target=ring&model=mlp&units=64&batch=512&k=10")
	if err != nil {
		panic(err)
	}
	points, work := s.StepCost()
	fmt.Println(points, work, work <= spec.MaxStepWork)
	// Output:
	// 5632 2.4150016e+07 true
}
