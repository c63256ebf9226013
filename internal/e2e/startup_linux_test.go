package e2e_test

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"roteiro2/internal/e2e"
)

func TestMain(m *testing.M) { e2e.Main(m) }

// Erros de partida dos quatro servidores: uma linha em português em stderr,
// código 1 (erro em tempo de execução) ou 2 (uso errado), nunca um pânico.
func TestStartupErrors(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("os erros de bind esperados (EACCES, EADDRNOTAVAIL) são os do Linux")
	}
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		// 192.0.2.1 (TEST-NET-1, RFC 5737) não pertence a esta máquina: o
		// bind falha na hora, sem tráfego nenhum.
		{"endereço alheio", []string{"-host", "192.0.2.1", "-port", "0"}, 1, "não pertence a esta máquina"},
		{"host inválido", []string{"-host", "nao-e-ip"}, 2, "inválido"},
		{"delay negativo", []string{"-delay", "-1s"}, 2, "negativa"},
		{"backlog negativo", []string{"-backlog", "-1"}, 2, "negativo"},
		{"porta fora do intervalo", []string{"-port", "70000"}, 2, "fora do intervalo"},
		{"flag desconhecida", []string{"-nada"}, 2, "opção desconhecida"},
	}
	for _, server := range []string{"serverbloq", "servergargalo", "server", "server_async"} {
		t.Run(server, func(t *testing.T) {
			t.Parallel()
			for _, c := range cases {
				stdout, stderr, code := e2e.Run(t, 10*time.Second, server, c.args...)
				checkOneLine(t, server+" "+c.name, stdout, stderr, code, c.code, c.want)
			}
			// Porta abaixo de 1024 sem privilégio: como root, o programa roda
			// como o usuário nobody para ver o EACCES que um aluno veria.
			cmd := exec.Command(e2e.Build(t, server), "-port", "1")
			if os.Geteuid() == 0 {
				cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
			}
			var o, e strings.Builder
			cmd.Stdout, cmd.Stderr = &o, &e
			cmd.Run()
			checkOneLine(t, server+" porta 1", o.String(), e.String(), cmd.ProcessState.ExitCode(), 1, "permissão negada")
		})
	}
}

func checkOneLine(t *testing.T, what, stdout, stderr string, code, wantCode int, want string) {
	t.Helper()
	line := strings.TrimSpace(stderr)
	if code != wantCode || !strings.Contains(line, want) || strings.Contains(line, "\n") ||
		strings.Contains(stdout+stderr, "goroutine ") {
		t.Errorf("%s: código %d (esperava %d), stderr %q (esperava uma linha com %q)", what, code, wantCode, stderr, want)
	}
}
