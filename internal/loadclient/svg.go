package loadclient

import (
	"os"

	"roteiro2/internal/timeline"
)

// Rows converte os resultados em linhas da linha do tempo.
func Rows(results []Result) []timeline.Row {
	rows := make([]timeline.Row, len(results))
	for i, r := range results {
		rows[i] = timeline.Row{ID: r.ID, Outcome: r.Outcome, Start: r.Start, Connected: r.Connected, End: r.End}
	}
	return rows
}

// WriteSVG grava a linha do tempo da rodada em path.
func WriteSVG(path string, sc timeline.Scenario, results []Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := timeline.Write(f, sc, Rows(results)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
