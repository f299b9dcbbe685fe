package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"nceplay/core/lab"
	"nceplay/core/spec"
	"nceplay/gifexport"
)

const gifUsage = `usage: nceplay gif [--panels density,curves] [--frames N] [--width W] [--height H]
                  [--delay D] [--theme light|dark] [--data FILE.csv] '<query>' > run.gif

Trains the experiment and writes it to stdout as an animated GIF that loops
forever (docs/spec.md#gif): one frame per checkpoint, evenly spread over the run,
of the chosen panels side by side.
  --panels   density, classifier, curves (default density,curves)
  --frames   %d to %d (default %d)
  --width    %d to %d pixels (default %d); --height %d to %d (default 9/16 of the width)
  --delay    hundredths of a second per frame, 1 to %d (default %d; the last is held %d)
  --theme    light (default) or dark
  --data     train on the points of the CSV file FILE, as nceplay run --data
             (an experiment whose link names a data file needs it)
Exit status: 0 success, 2 bad spec or options, 1 divergence (the GIF is written,
ending at the last finite state).
`

// runGif is the gif command.
func runGif(args []string, stdout, stderr io.Writer) int {
	help := fmt.Sprintf(gifUsage, gifexport.MinFrames, gifexport.MaxFrames, gifexport.DefaultFrames,
		gifexport.MinWidth, gifexport.MaxWidth, gifexport.DefaultWidth, gifexport.MinHeight, gifexport.MaxHeight,
		gifexport.MaxDelay, gifexport.DefaultDelay, gifexport.HoldLast)
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "nceplay: gif: "+format+"\n%s", append(a, help)...)
		return 2
	}
	var opt gifexport.Options
	var query []string
	dataFile := "" // --data
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(a, "=")
		if a == "-h" || a == "--help" {
			fmt.Fprint(stdout, help)
			return 0
		}
		if !strings.HasPrefix(a, "-") {
			query = append(query, a)
			continue
		}
		flag := strings.TrimLeft(name, "-")
		isData := name == "--data" || name == "-data" // as nceplay run's --data
		switch flag {
		case "panels", "frames", "width", "height", "delay", "theme":
		default:
			if isData {
				break
			}
			return fail("unknown flag %s", a)
		}
		if !hasValue {
			if i+1 == len(args) {
				return fail("%s needs a value", name)
			}
			i++
			value = args[i]
		}
		num := func(dst *int) error {
			v, err := strconv.Atoi(value)
			if err != nil {
				return fmt.Errorf("%s = %q is not a whole number", name, value)
			}
			*dst = v
			return nil
		}
		var err error
		if isData {
			dataFile = value
		}
		switch flag {
		case "panels":
			opt.Panels = strings.Split(value, ",")
		case "frames":
			err = num(&opt.Frames)
		case "width":
			err = num(&opt.Width)
		case "height":
			err = num(&opt.Height)
		case "delay":
			err = num(&opt.Delay)
		case "theme":
			switch value {
			case spec.ThemeLight, spec.ThemeDark:
				opt.Dark = value == spec.ThemeDark
			default:
				err = fmt.Errorf("--theme = %q: %s or %s", value, spec.ThemeLight, spec.ThemeDark)
			}
		}
		if err != nil {
			return fail("%v", err)
		}
	}
	if len(query) > 1 {
		return fail("give the query as one argument (quote it: the shell splits on '&')")
	}
	q := strings.Join(query, "")
	if l, err := lab.Select(q); err != nil || l != nil {
		if err == nil {
			err = fmt.Errorf("lab=%s cannot be exported as a GIF; only the playground's experiments can", l.Name)
		}
		return fail("%v", err)
	}
	if dataFile != "" {
		var code int
		if opt.Points, q, code = readDataFile(dataFile, q, stderr); code != 0 {
			return code
		}
	}
	b, err := gifexport.Encode(q, opt)
	if err != nil && !errors.Is(err, gifexport.ErrDiverged) {
		fmt.Fprintln(stderr, "nceplay: gif:", err)
		return 2
	}
	if _, werr := stdout.Write(b); werr != nil {
		fmt.Fprintln(stderr, "nceplay: gif:", werr)
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, "nceplay: gif:", err)
		return 1
	}
	return 0
}
