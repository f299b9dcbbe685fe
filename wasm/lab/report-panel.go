package main

import (
	"nceplay/chart"
	"nceplay/wasm/wire"
)

// ReportPanel shows every number of a run's report: the page of a lab
// that has no panels of its own yet.
type ReportPanel struct {
	F *wire.LabFrame
}

// Num formats a metric ("–" when undefined).
func (c *ReportPanel) Num(m wire.LabMetric) string {
	if m.Null {
		return "–"
	}
	return chart.Num(m.Value)
}
