package main

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"roteiro2/internal/e2e"
	"roteiro2/internal/summary"
)

// O limite de threads do sistema, não só o -max-threads: rodando como um
// usuário comum com `prlimit --nproc 300` (RLIMIT_NPROC: no máximo 300
// tarefas do usuário), 400 clientes ao mesmo tempo pediriam 400 threads. O
// clone(2) da 301ª falharia, e o runtime do Go abortaria o processo inteiro.
// O servidor lê o limite na partida, atende no máximo o que cabe, e os
// outros clientes esperam na fila do kernel e são atendidos depois: nenhuma
// queda, nenhum cliente perdido.
func TestThreadLimitFromRlimitNproc(t *testing.T) {
	t.Parallel()
	if os.Getuid() != 0 {
		t.Skip("precisa de root para rodar o servidor como o usuário nobody (o RLIMIT_NPROC não vale para o root)")
	}
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Fatalf("prlimit (util-linux) não encontrado: %v", err)
	}
	bin := e2e.Build(t, "server")
	cmd := exec.Command(prlimit, "--nproc=300", "--", bin, "-delay", "500ms", "-q", "-backlog", "512", "-port", "0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	s := e2e.StartServerCmd(t, cmd)
	line := s.WaitFor(t, "[LIMITE] o sistema deixa", 5*time.Second)
	t.Log(line)
	out, r := e2e.RunClient(t, "clientenervoso", "-port", strconv.Itoa(s.Port), "-n", "400", "-q",
		"-connect-timeout", "10s", "-timeout", "30s")
	if r.Count(summary.Success) != 400 {
		t.Errorf("com RLIMIT_NPROC=300, 400 clientes: %v\n%s", r, out)
	}
	sout := s.StopOK(t) // saiu com 0: não abortou
	if served, failed, _, peak := e2e.ServerResumo(t, sout); served != 400 || failed != 0 || peak >= 300 {
		t.Errorf("atendidas=%d falhas=%d threads_pico=%d; esperava 400, 0 e menos de 300 threads", served, failed, peak)
	}
	if !strings.Contains(sout, "esperas_max_threads=") {
		t.Errorf("o resumo devia contar as esperas pelo limite:\n%s", sout)
	}
}
