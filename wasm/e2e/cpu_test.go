package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/chromedp/chromedp"
)

// clockTicks is the kernel's USER_HZ (the unit of /proc's utime and
// stime): 100 on every Linux this runs on.
const clockTicks = 100

// threadCPU returns the CPU seconds (user + system) spent so far by every
// thread of the test's Chromium (the browser process and its descendants),
// summed by process type and thread name (comm), e.g.
// "renderer/DedicatedWorker", "gpu-process/VizCompositorTh", to tell where two cores go while a page trains (Linux only; nil
// elsewhere).
func threadCPU() map[string]float64 {
	c := chromedp.FromContext(browserCtx)
	if c == nil || c.Browser == nil || c.Browser.Process() == nil {
		return nil
	}
	root := c.Browser.Process().Pid
	parent := map[int]int{}
	procs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range procs {
		f := statFields(p)
		if len(f) < 2 {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		pp, _ := strconv.Atoi(f[1])
		parent[pid] = pp
	}
	ours := func(pid int) bool {
		for i := 0; pid > 1 && i < 64; i++ {
			if pid == root {
				return true
			}
			pid = parent[pid]
		}
		return false
	}
	out := map[string]float64{}
	for pid := range parent {
		if !ours(pid) {
			continue
		}
		kind := procType(pid)
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/[0-9]*/stat", pid))
		for _, t := range tasks {
			b, err := os.ReadFile(t)
			if err != nil {
				continue
			}
			s := string(b)
			i, j := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
			if i < 0 || j < i {
				continue
			}
			name := s[i+1 : j]
			f := strings.Fields(s[j+1:])
			if len(f) < 13 {
				continue
			}
			u, _ := strconv.ParseFloat(f[11], 64) // utime: field 14 of stat
			k, _ := strconv.ParseFloat(f[12], 64) // stime: field 15
			out[kind+"/"+name] += (u + k) / clockTicks
		}
	}
	return out
}

// procType returns a Chromium process's --type (renderer, gpu-process,
// utility, …), or "browser" for the browser process itself.
func procType(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	// Chromium rewrites its children's command lines as one string
	// (setproctitle): split on NULs and spaces.
	for _, a := range strings.FieldsFunc(string(b), func(r rune) bool { return r == 0 || r == ' ' }) {
		if t, ok := strings.CutPrefix(a, "--type="); ok {
			return t
		}
	}
	return "browser"
}

// statFields returns the fields of a /proc stat file after the command
// name (state, ppid, …).
func statFields(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	s := string(b)
	j := strings.LastIndexByte(s, ')')
	if j < 0 {
		return nil
	}
	return strings.Fields(s[j+1:])
}

// cpuShares formats the CPU each thread name used between two threadCPU
// snapshots, as a share of one core over wall seconds, largest first, and
// the total in CPU milliseconds per training step.
func cpuShares(a, b map[string]float64, wall, steps float64) string {
	type row struct {
		name string
		pct  float64
	}
	var rows []row
	total := 0.0
	for k, v := range b {
		d := (v - a[k]) / wall * 100
		total += d
		if d >= 1 {
			rows = append(rows, row{k, d})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].pct > rows[j].pct })
	var sb strings.Builder
	fmt.Fprintf(&sb, "%.0f%% of a core in all (%.2f CPU ms a step):", total, total/100*wall/steps*1000)
	for _, r := range rows {
		fmt.Fprintf(&sb, " %s %.0f%%", r.name, r.pct)
	}
	return sb.String()
}
