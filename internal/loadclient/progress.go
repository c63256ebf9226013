package loadclient

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"roteiro2/internal/summary"
)

// progress reescreve uma linha de progresso em Config.Progress até stop
// fechar. Num terminal a linha é reescrita no lugar (\r) no máximo 10 vezes
// por segundo; fora de um terminal (um arquivo, um pipe de teste) sai uma
// linha por segundo, para o log não crescer sem limite. A última versão
// termina com uma quebra de linha.
func (r *Run) progress(stop <-chan struct{}) {
	w := r.cfg.Progress
	tty := isTerminal(w)
	every := time.Second
	if tty {
		every = 100 * time.Millisecond
	}
	t := time.NewTicker(every)
	defer t.Stop()
	last := 0
	for {
		select {
		case <-stop:
			line := r.progressLine()
			if tty {
				fmt.Fprintf(w, "\r%s%s\n", line, strings.Repeat(" ", max(0, last-len(line))))
			} else {
				fmt.Fprintln(w, line)
			}
			return
		case <-t.C:
			line := r.progressLine()
			if tty {
				fmt.Fprintf(w, "\r%s%s", line, strings.Repeat(" ", max(0, last-len(line))))
			} else {
				fmt.Fprintln(w, line)
			}
			last = len(line)
		}
	}
}

// progressLine: "[PROGRESSO] 1234/19000 terminaram, 5000 entraram | sucesso 1200 | timeout_conexao=3 | 3.2s".
// Tamanho limitado (só números; os desfechos de falha aparecem quando > 0).
func (r *Run) progressLine() string {
	var b strings.Builder
	fmt.Fprintf(&b, "[PROGRESSO] %d/%d terminaram, %d entraram | sucesso %d",
		r.finished.Load(), len(r.results), r.connected.Load(), r.counts[summary.Success].Load())
	for o := summary.ConnectTimeout; o <= summary.Other; o++ {
		if n := r.counts[o].Load(); n > 0 {
			fmt.Fprintf(&b, " | %s=%d", o.Key(), n)
		}
	}
	fmt.Fprintf(&b, " | %.1fs", time.Since(r.t0).Seconds())
	return b.String()
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
