package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"roteiro2/internal/e2e"
)

// -bin: os programas pedidos vêm da pasta; o que falta vira um erro que diz
// quais e como compilar; o server_async não é procurado onde não roda.
func TestPrebuilt(t *testing.T) {
	// Uma pasta limpa à mão: sob o Wine 8 o os.RemoveAll do t.TempDir
	// falha com arquivos dentro.
	dir, err := os.MkdirTemp("", "roteiro-bin-")
	if err != nil {
		t.Fatal(err)
	}
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	var files []string
	for _, p := range []string{"serverbloq", "client"} {
		f := filepath.Join(dir, p+exe)
		if err := os.WriteFile(f, nil, 0o755); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	t.Cleanup(func() {
		for _, f := range files {
			os.Remove(f)
		}
		os.Remove(dir)
	})

	bins, err := prebuilt(dir, map[string]bool{"serverbloq": true, "client": true})
	if err != nil {
		t.Fatal(err)
	}
	if len(bins) != 2 || bins["serverbloq"] != files[0] || bins["client"] != files[1] {
		t.Errorf("prebuilt = %v; esperava %v", bins, files)
	}

	_, err = prebuilt(dir, map[string]bool{"serverbloq": true, "server": true, "clientenervoso": true})
	if err == nil {
		t.Fatal("faltam server e clientenervoso e prebuilt não deu erro")
	}
	for _, want := range []string{"falta server" + exe + ", clientenervoso" + exe, "go build -o"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("a mensagem devia conter %q: %v", want, err)
		}
	}

	_, err = prebuilt(filepath.Join(dir, "nao-existe"), map[string]bool{"client": true})
	if err == nil || !strings.Contains(err.Error(), "não é uma pasta") {
		t.Errorf("pasta que não existe: %v", err)
	}

	bins, err = prebuilt(dir, map[string]bool{"server_async": true})
	switch {
	case asyncReason(runtime.GOOS) != "" && (err != nil || len(bins) != 0):
		t.Errorf("server_async não roda aqui e não devia ser procurado: %v %v", bins, err)
	case asyncReason(runtime.GOOS) == "" && err == nil:
		t.Error("server_async falta na pasta e prebuilt não deu erro")
	}
}

// O roteiro de verdade com -bin: sem compilar nada, roda a etapa 1.1 com os
// programas da pasta; com uma pasta sem os programas, sai com 1 e diz o que
// falta.
func TestRoteiroBin(t *testing.T) {
	t.Parallel()
	dir := filepath.Dir(e2e.Build(t, "serverbloq"))
	if filepath.Dir(e2e.Build(t, "client")) != dir {
		t.Fatal("e2e.Build pôs os programas em pastas diferentes")
	}
	stdout, stderr, code := e2e.Run(t, 120*time.Second, "roteiro", "-rapido", "-delay", "300ms", "-etapas", "1.1", "-bin", dir)
	if code != 0 {
		t.Fatalf("roteiro -bin %s: código %d\n%s%s", dir, code, stdout, stderr)
	}
	if !strings.Contains(stderr, "já compilado(s) de "+dir) || strings.Contains(stderr, "compilado(s) em") {
		t.Errorf("com -bin o roteiro não devia compilar nada:\n%s", stderr)
	}
	if !strings.Contains(stdout, "serverbloq") {
		t.Errorf("sem a linha da etapa 1.1:\n%s", stdout)
	}

	empty, err := os.MkdirTemp("", "roteiro-bin-vazia-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(empty) })
	_, stderr, code = e2e.Run(t, 60*time.Second, "roteiro", "-rapido", "-etapas", "1.1", "-bin", empty)
	if code != 1 || !strings.Contains(stderr, "falta") || strings.Contains(stderr, "panic") {
		t.Errorf("pasta vazia: código %d, stderr:\n%s", code, stderr)
	}
}
