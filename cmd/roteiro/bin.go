package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// programs devolve programa → executável para os programas pedidos: com
// -bin, os já compilados da pasta binDir; sem -bin, compila (build).
func programs(ctx context.Context, progs map[string]bool, binDir string) (map[string]string, func(), error) {
	if binDir == "" {
		return build(ctx, progs)
	}
	bins, err := prebuilt(binDir, progs)
	return bins, func() {}, err
}

// prebuilt acha na pasta dir os programas pedidos, já compilados (numa
// máquina sem o Go: um PC do laboratório, o Wine). O que não roda neste
// sistema (server_async no Windows) nem é procurado, como build não o
// compila. Um programa que falta é um erro que diz qual e como compilar.
func prebuilt(dir string, progs map[string]bool) (map[string]string, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("-bin %s: não é uma pasta", dir)
	}
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	bins := map[string]string{}
	var missing []string
	for _, p := range []string{"serverbloq", "servergargalo", "server", "server_async", "client", "clientenervoso"} {
		if !progs[p] || (p == "server_async" && asyncReason(runtime.GOOS) != "") {
			continue
		}
		path := filepath.Join(dir, p+exe)
		if st, err := os.Stat(path); err != nil || st.IsDir() {
			missing = append(missing, p+exe)
			continue
		}
		bins[p] = path
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("-bin %s: falta %s (compile os programas nessa pasta com: GOOS=%s GOARCH=%s go build -o %s ./cmd/...)",
			dir, strings.Join(missing, ", "), runtime.GOOS, runtime.GOARCH, dir+string(filepath.Separator))
	}
	progress("roteiro: %d programa(s) já compilado(s) de %s", len(bins), dir)
	return bins, nil
}
