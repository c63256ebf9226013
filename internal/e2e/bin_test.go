package e2e_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"roteiro2/internal/e2e"
)

// fatalTB é um testing.TB que guarda o Fatalf em vez de falhar o teste.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// Com ROTEIRO2_BIN, Build não compila: devolve o programa da pasta, e um
// programa que falta é um erro que diz qual e como compilar.
func TestBuildUsesBinEnv(t *testing.T) {
	// Uma pasta própria, limpa à mão: sob o Wine 8 o os.RemoveAll do
	// t.TempDir falha com arquivos dentro.
	dir, err := os.MkdirTemp("", "roteiro2-bin-")
	if err != nil {
		t.Fatal(err)
	}
	exe := "serverbloq"
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	fake := filepath.Join(dir, exe)
	if err := os.WriteFile(fake, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(fake); os.Remove(dir) })
	t.Setenv(e2e.BinEnv, dir)

	if got := e2e.Build(t, "serverbloq"); got != fake {
		t.Errorf("Build com %s=%s devolveu %q; esperava %q", e2e.BinEnv, dir, got, fake)
	}
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		e2e.Build(f, "client")
	}()
	<-done
	if !strings.Contains(f.msg, "não tem o programa client") || !strings.Contains(f.msg, "go build") {
		t.Errorf("programa faltando: a mensagem devia dizer qual e como compilar; disse %q", f.msg)
	}
}
