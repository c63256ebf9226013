package loadclient

import (
	"fmt"
	"os"

	"roteiro2/internal/cli"

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

// SaveSVG grava a linha do tempo da rodada em path e diz onde (ou o erro,
// em stderr). Devolve o código de saída: 0, ou 1 se não conseguiu gravar.
func SaveSVG(path string, sc timeline.Scenario, results []Result) int {
	if err := WriteSVG(path, sc, results); err != nil {
		fmt.Fprintf(os.Stderr, "%s: não consegui gravar a linha do tempo: %v\n", sc.Program, err)
		return cli.ExitRuntime
	}
	fmt.Printf("[LINHA DO TEMPO] %s\n", path)
	return 0
}
