//go:build unix

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"roteiro2/internal/e2e"
)

// Um Ctrl-C no meio de uma etapa: o roteiro sai com 130, e o -json diz
// "ok": false, com a etapa cortada "rodou": false e o motivo.
func TestInterruptedJSON(t *testing.T) {
	t.Parallel()
	js := filepath.Join(t.TempDir(), "r.json")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, e2e.Build(t, "roteiro"), "-delay", "3", "-etapas", "1.1,2.1", "-json", js)
	cmd.Env = append(os.Environ(), "GORACE=atexit_sleep_ms=0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Espera a etapa 1.1 começar (a linha de progresso) e interrompe.
	var seen []string
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		seen = append(seen, sc.Text())
		if strings.HasPrefix(sc.Text(), "etapa 1.1") {
			cmd.Process.Signal(syscall.SIGINT)
			break
		}
	}
	for sc.Scan() {
		seen = append(seen, sc.Text())
	}
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("código %d, queria 130\n%s", code, strings.Join(seen, "\n"))
	}
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		OK     bool `json:"ok"`
		Etapas []struct {
			ID     string  `json:"id"`
			Rodou  bool    `json:"rodou"`
			Motivo *string `json:"motivo"`
		} `json:"etapas"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("-json: %v\n%s", err, data)
	}
	if rep.OK || len(rep.Etapas) != 1 || rep.Etapas[0].ID != "1.1" || rep.Etapas[0].Rodou ||
		rep.Etapas[0].Motivo == nil || *rep.Etapas[0].Motivo != interrupted {
		t.Errorf("JSON de uma rodada interrompida:\n%s", data)
	}
}
