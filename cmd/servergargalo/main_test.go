package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"roteiro2/internal/e2e"
	"roteiro2/internal/summary"
)

func TestMain(m *testing.M) { e2e.Main(m) }

// Cada cliente na linha do tempo (SVG do clientenervoso): a classe é o
// desfecho, e o título diz quando terminou, contado da largada comum.
var rowRe = regexp.MustCompile(`<g class="(\w+)" data-cliente="(\d+)"><title>cliente \d+: [^;<]*; [^;<]*; desfecho em ([0-9.]+)s</title>`)

// Etapa 1.2 no Linux (docs/fila-do-kernel.md: o que vale em toda execução):
// backlog 1, 10 clientes, delay maior que o prazo de conexão.
func TestBacklogOne(t *testing.T) {
	t.Parallel()
	const (
		backlog        = 1
		n              = 10
		delay          = 1 * time.Second
		connectTimeout = 500 * time.Millisecond
		replyTimeout   = 2500 * time.Millisecond
	)
	s := e2e.StartServer(t, "servergargalo", "-delay", delay.String(), "-backlog", fmt.Sprint(backlog), "-grace", "200ms")
	if capLine := s.WaitFor(t, "Capacidade:", 5*time.Second); runtime.GOOS == "linux" && !strings.Contains(capLine, "1 atendendo + 2 na espera") {
		t.Errorf("linha de capacidade sem o backlog+1 do Linux: %s", capLine)
	}
	svg := filepath.Join(t.TempDir(), "linha.svg")
	out, r := e2e.RunClient(t, "clientenervoso", "-port", fmt.Sprint(s.Port), "-n", fmt.Sprint(n),
		"-connect-timeout", connectTimeout.String(), "-timeout", replyTimeout.String(), "-svg", svg)
	t.Logf("%v", r)
	if r.Total != n {
		t.Fatalf("RESUMO com total=%d:\n%s", r.Total, out)
	}
	// Quem ficou de fora: no Linux, só timeouts de conexão (a fila cheia
	// descarta o SYN); no Windows também recusados (a fila cheia responde RST).
	outside := r.Count(summary.ConnectTimeout) + r.Count(summary.Refused)
	connected := n - outside
	maxReplies := int(replyTimeout/delay) + 1
	switch {
	case outside < 1:
		t.Errorf("nenhum cliente ficou de fora: a fila de backlog %d não encheu?\n%s", backlog, out)
	case connected < backlog+1:
		t.Errorf("só %d clientes entraram; a fila do Linux guarda pelo menos backlog+1 = %d", connected, backlog+1)
	case r.Count(summary.Success) < 1 || r.Count(summary.Success) > maxReplies:
		t.Errorf("%d respostas; esperava entre 1 e %d (prazo/delay + 1)", r.Count(summary.Success), maxReplies)
	}
	if runtime.GOOS == "linux" {
		// No Linux a fila cheia descarta o SYN: ninguém é recusado, e quem
		// entrou ou recebe a resposta ou expira esperando por ela.
		if r.Count(summary.Refused) != 0 || connected != r.Count(summary.Success)+r.Count(summary.ReplyTimeout) {
			t.Errorf("esperava só sucesso, timeout de conexão e timeout de resposta no Linux; RESUMO %v\n%s", r, out)
		}
	}
	if r.Count(summary.Success) > 0 && r.P50 < delay-30*time.Millisecond {
		t.Errorf("resposta em %v, antes do delay %v", r.P50, delay)
	}

	// Duração de cada desfecho, da linha do tempo: um timeout de conexão
	// nunca antes do prazo (menos 50 ms); um sucesso nunca antes do delay.
	data, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	rows := rowRe.FindAllStringSubmatch(string(data), -1)
	if len(rows) != n {
		t.Fatalf("linha do tempo com %d clientes legíveis, esperava %d", len(rows), n)
	}
	for _, m := range rows {
		sec, _ := strconv.ParseFloat(m[3], 64)
		end := time.Duration(sec * float64(time.Second))
		switch m[1] {
		case summary.ConnectTimeout.Key():
			if end < connectTimeout-50*time.Millisecond || end > connectTimeout+time.Second {
				t.Errorf("cliente %s: timeout de conexão em %v, prazo %v", m[2], end, connectTimeout)
			}
		case summary.Success.Key():
			if end < delay-30*time.Millisecond {
				t.Errorf("cliente %s: sucesso em %v, antes do delay %v", m[2], end, delay)
			}
		}
	}

	sout := s.StopOK(t)
	if !strings.Contains(sout, "--- [ATENDENDO]") || !strings.Contains(sout, "--- [FINALIZADO]") {
		t.Errorf("log sem [ATENDENDO]/[FINALIZADO]:\n%s", sout)
	}
}

// Porta em uso: a mensagem do original e código 1. Flags ruins: código 2.
func TestPortInUseAndBadFlags(t *testing.T) {
	t.Parallel()
	s := e2e.StartServer(t, "servergargalo")
	_, stderr, code := e2e.Run(t, 10*time.Second, "servergargalo", "-port", fmt.Sprint(s.Port))
	if code != 1 || !strings.Contains(stderr, "Erro: Porta em uso") || !strings.Contains(stderr, "Espere um pouco ou mude a porta") {
		t.Errorf("porta em uso: código %d, stderr %q", code, stderr)
	}
	for _, args := range [][]string{{"-backlog", "-1"}, {"-delay", "-2"}, {"-grace", "x"}} {
		_, stderr, code := e2e.Run(t, 10*time.Second, "servergargalo", args...)
		if code != 2 || stderr == "" || strings.Contains(stderr, "goroutine 1 [") {
			t.Errorf("servergargalo %v: código %d, stderr %q; esperava 2", args, code, stderr)
		}
	}
	s.StopOK(t)
}
