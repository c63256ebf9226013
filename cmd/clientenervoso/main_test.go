package main

// Testes de ponta a ponta: o clientenervoso de verdade (compilado por
// internal/e2e) contra servidores falsos (e2e.StartFake), cada um com um
// comportamento escrito aqui (responde depois de um atraso, fecha sem
// responder, responde aos pedaços, manda 1 MiB...). Só 127.0.0.1.
//
// Nenhum teste depende da velocidade da máquina: o relógio, quando há um,
// parte depois de compilar o programa, e os limites são de baixo (ninguém
// responde antes do atraso) ou folgados em relação aos prazos dados.

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"roteiro2/internal/e2e"
	"roteiro2/internal/summary"
)

// e2e.Run já roda os programas com GORACE=atexit_sleep_ms=0.
func TestMain(m *testing.M) { e2e.Main(m) }

// freePort devolve uma porta onde ninguém escuta.
func freePort(t *testing.T) string { return strconv.Itoa(e2e.FreePort(t)) }

// run roda o clientenervoso, exige código 0 e o RESUMO na última linha de stdout.
func run(t *testing.T, args ...string) (stdout, stderr string, r summary.Resumo) {
	t.Helper()
	e2e.Build(t, "clientenervoso") // compilar fora do prazo de e2e.Run
	stdout, stderr, code := e2e.Run(t, 60*time.Second, "clientenervoso", args...)
	if code != 0 {
		t.Fatalf("clientenervoso %v saiu com %d:\n%s%s", args, code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	r, err := summary.Parse(lines[len(lines)-1])
	if err != nil {
		t.Fatalf("a última linha de stdout não é o RESUMO: %v\n%s", err, stdout)
	}
	return stdout, stderr, r
}

func counts(r summary.Resumo) string {
	var b strings.Builder
	for o := summary.Success; o <= summary.Other; o++ {
		fmt.Fprintf(&b, "%s=%d ", o.Key(), r.Count(o))
	}
	return b.String()
}

// Os 10 clientes partem juntos: o servidor falso só responde depois de ver
// os 10 conectados ao mesmo tempo. Prazos largos: o teste não mede velocidade.
func TestAllSucceedAgainstConcurrentServer(t *testing.T) {
	t.Parallel()
	const delay = 300 * time.Millisecond
	s := e2e.StartFake(t, e2e.AllTogether(10, e2e.Delayed(delay)))
	out, _, r := run(t, "-port", s.Port, "-n", "10", "-connect-timeout", "10s", "-timeout", "15s")
	if r.Total != 10 || r.Count(summary.Success) != 10 {
		t.Fatalf("esperava 10 sucessos: %s\n%s", counts(r), out)
	}
	if r.P50 < delay {
		t.Errorf("p50=%v, antes do atraso de %v", r.P50, delay)
	}
	for _, want := range []string{
		"--- INICIANDO ATAQUE DE 10 CLIENTES SIMULTÂNEOS ---",
		"[CLIENTE 07] 🟡 Tentando entrar...",
		"[CLIENTE 07] 🟢 Conectou! Esperando resposta...",
		"[CLIENTE 07] 🏆 SUCESSO: Processado: Tarefa do Cliente 7\n",
		"[CLIENTE 10] 🏆 SUCESSO: Processado: Tarefa do Cliente 10\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("a saída não tem %q:\n%s", want, out)
		}
	}
	if n := s.Accepted.Load(); n != 10 {
		t.Errorf("o servidor aceitou %d conexões", n)
	}
}

func TestNothingListeningIsRefused(t *testing.T) {
	t.Parallel()
	out, _, r := run(t, "-port", freePort(t), "-n", "5")
	if r.Count(summary.Refused) != 5 {
		t.Fatalf("esperava 5 recusados: %s\n%s", counts(r), out)
	}
	if r.P50 >= 0 {
		t.Errorf("sem sucesso, p50 deveria ser '-': %v", r.P50)
	}
	if !strings.Contains(out, "[CLIENTE 03] ⛔ RECUSADO: ") {
		t.Errorf("falta a linha de recusa:\n%s", out)
	}
}

// Os ids com dois dígitos no mínimo, como o {id_cliente:02d} do .py.
func TestIDsPaddedLikeThePython(t *testing.T) {
	t.Parallel()
	out, _, _ := run(t, "-port", freePort(t), "-n", "100", "-connect-timeout", "1s")
	if !strings.Contains(out, "[CLIENTE 07] 🟡") || !strings.Contains(out, "[CLIENTE 100] 🟡") {
		t.Fatalf("ids deveriam ter pelo menos 2 dígitos ({id_cliente:02d}):\n%.500s", out)
	}
}

// Um servidor que aceita e fecha sem responder: com FIN, "erro" (fechou sem
// responder); com RST (SO_LINGER 0), "resetado".
func TestServerClosesWithoutReply(t *testing.T) {
	t.Parallel()
	fin := e2e.StartFake(t, func(s *e2e.FakeServer, c net.Conn) { s.ReadMsg(c) })
	rst := e2e.StartFake(t, func(s *e2e.FakeServer, c net.Conn) {
		s.ReadMsg(c)
		c.(*net.TCPConn).SetLinger(0)
	})
	out, _, r := run(t, "-port", fin.Port, "-n", "4", "-timeout", "10s")
	if r.Count(summary.Other) != 4 || !strings.Contains(out, "❌ ERRO: o servidor fechou a conexão sem responder") {
		t.Errorf("FIN sem resposta: %s\n%s", counts(r), out)
	}
	out, _, r = run(t, "-port", rst.Port, "-n", "4", "-timeout", "10s")
	if r.Count(summary.Reset) != 4 || !strings.Contains(out, "💥 RESETADO: o servidor derrubou a conexão (RST) sem responder") {
		t.Errorf("RST sem resposta: %s\n%s", counts(r), out)
	}
}

// pieces responde "Processado: MSG" em k pedaços, um a cada gap.
func pieces(k int, gap time.Duration) e2e.Handler {
	return func(s *e2e.FakeServer, c net.Conn) {
		reply := append([]byte("Processado: "), s.ReadMsg(c)...)
		for i := range k {
			if _, err := c.Write(reply[i*len(reply)/k : (i+1)*len(reply)/k]); err != nil {
				return
			}
			time.Sleep(gap)
		}
		e2e.Finish(c)
	}
}

func TestSlowReplyInPieces(t *testing.T) {
	t.Parallel()
	// Cinco pedaços em ~0,5 s, com 15 s de prazo: sucesso com a resposta inteira.
	s := e2e.StartFake(t, pieces(5, 100*time.Millisecond))
	out, _, r := run(t, "-port", s.Port, "-n", "3", "-timeout", "15s")
	if r.Count(summary.Success) != 3 || !strings.Contains(out, "[CLIENTE 02] 🏆 SUCESSO: Processado: Tarefa do Cliente 2\n") {
		t.Errorf("resposta aos pedaços dentro do prazo: %s\n%s", counts(r), out)
	}
	if r.P50 < 400*time.Millisecond {
		t.Errorf("o sucesso deveria contar a resposta inteira (≥0,4 s), p50=%v", r.P50)
	}
	// Os mesmos pedaços a cada 1 s com prazo de 2 s: a resposta leva pelo
	// menos 4 s, não termina a tempo em máquina nenhuma; o primeiro pedaço sai
	// logo depois da tarefa, com 2 s de folga para chegar.
	slow := e2e.StartFake(t, pieces(5, time.Second))
	out, _, r = run(t, "-port", slow.Port, "-n", "3", "-timeout", "2s")
	if r.Count(summary.ReplyTimeout) != 3 || !regexp.MustCompile(`⏱️ TIMEOUT: entrou, recebeu \d+ bytes, mas a resposta não terminou em 2s`).MatchString(out) {
		t.Errorf("resposta aos pedaços fora do prazo: %s\n%s", counts(r), out)
	}
}

// big manda size bytes; depois, com closeAfter, fecha (Finish); sem ele,
// fica calado até o cliente fechar.
func big(size int, closeAfter bool) e2e.Handler {
	return func(s *e2e.FakeServer, c net.Conn) {
		s.ReadMsg(c)
		if _, err := c.Write(bytes.Repeat([]byte("x"), size)); err != nil {
			return // o cliente desistiu no meio, como deve com mais de 1 MiB
		}
		if closeAfter {
			e2e.Finish(c)
		} else {
			io.Copy(io.Discard, c)
		}
	}
}

func TestOneMebibyteReply(t *testing.T) {
	t.Parallel()
	s := e2e.StartFake(t, big(1<<20, true))
	out, _, r := run(t, "-port", s.Port, "-n", "3", "-timeout", "30s")
	if r.Count(summary.Success) != 3 || !strings.Contains(out, "(1048576 bytes no total)") {
		t.Errorf("1 MiB: %s\n%.2000s", counts(r), out)
	}
	// Mais que o limite do cliente, e o servidor não fecha: se o cliente não
	// desistisse no limite, ficaria até o prazo e o desfecho seria
	// timeout_resposta. "erro" com a mensagem do limite prova que desistiu
	// ali, sem medir tempo.
	huge := e2e.StartFake(t, big(3<<20, false))
	out, _, r = run(t, "-port", huge.Port, "-n", "2", "-timeout", "30s")
	if r.Count(summary.Other) != 2 || !strings.Contains(out, "a resposta passou de 1048576 bytes") {
		t.Errorf("3 MiB: %s\n%.2000s", counts(r), out)
	}
}

func TestReplyTimeout(t *testing.T) {
	t.Parallel()
	// Lê a tarefa e fica calado até o cliente desistir e fechar (ou até os
	// 20 s de prazo de cada conexão do servidor falso, quando ele fecharia e
	// o desfecho seria "erro", não timeout).
	s := e2e.StartFake(t, func(s *e2e.FakeServer, c net.Conn) { io.Copy(io.Discard, c) })
	e2e.Build(t, "clientenervoso") // o relógio parte depois de compilar
	start := time.Now()
	out, _, r := run(t, "-port", s.Port, "-n", "3", "-timeout", "300ms")
	if r.Count(summary.ReplyTimeout) != 3 || !strings.Contains(out, "⏱️ TIMEOUT: entrou, mas a resposta não chegou em 300ms") {
		t.Errorf("%s\n%s", counts(r), out)
	}
	// Folga larga: termina perto do prazo de 300 ms, bem antes dos 20 s do servidor.
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("o prazo de 300ms deveria encerrar a rodada bem antes de 10 s: %v", el)
	}
}

// O modo -original: nada enviado, um prazo de 2 s para o connect e para o
// recv. Contra um servidor que demora mais que isso, nenhum sucesso — a
// falha do original, à vista. O servidor falso só responde depois de o
// cliente desistir e fechar, então o desfecho não depende da velocidade.
// (Roda uma vez; ~2 s, em paralelo.)
func TestOriginalModeFlaw(t *testing.T) {
	t.Parallel()
	s := e2e.StartFake(t, func(s *e2e.FakeServer, c net.Conn) {
		// Como o servergargalo: "processa" (aqui, até o cliente ir embora;
		// o que ele lê conta em Received) e responde.
		s.ReadMsg(c)
		c.Write([]byte("Atendido com sucesso."))
	})
	out, _, r := run(t, "-port", s.Port, "-n", "4", "-original")
	if r.Count(summary.Success) != 0 || r.Count(summary.ReplyTimeout) != 4 {
		t.Errorf("-original contra servidor lento: %s\n%s", counts(r), out)
	}
	if got := s.Received.Load(); got != 0 {
		t.Errorf("-original não deveria enviar nada; o servidor recebeu %d bytes", got)
	}
	if !strings.Contains(out, "[MODO ORIGINAL]") || !strings.Contains(out, "resposta não chegou em 2s") {
		t.Errorf("saída:\n%s", out)
	}
}

// -original contra um servidor que responde logo sem ler: um recv(1024) e sucesso.
func TestOriginalModeSucceedsWhenServerIsFast(t *testing.T) {
	t.Parallel()
	s := e2e.StartFake(t, func(s *e2e.FakeServer, c net.Conn) { c.Write([]byte("Atendido com sucesso.")) })
	out, _, r := run(t, "-port", s.Port, "-n", "3", "-original", "-connect-timeout", "10s")
	if r.Count(summary.Success) != 3 || !strings.Contains(out, "🏆 SUCESSO: Atendido com sucesso.\n") {
		t.Errorf("%s\n%s", counts(r), out)
	}
}

func TestQuietPrintsProgressAndResumo(t *testing.T) {
	t.Parallel()
	s := e2e.StartFake(t, e2e.Delayed(50*time.Millisecond))
	out, errOut, r := run(t, "-port", s.Port, "-n", "50", "-q", "-connect-timeout", "10s", "-timeout", "20s")
	if r.Count(summary.Success) != 50 {
		t.Fatalf("%s\n%s", counts(r), out)
	}
	if strings.Contains(out, "[CLIENTE") {
		t.Errorf("-q não deveria imprimir linhas por cliente:\n%s", out)
	}
	if lines := strings.Count(strings.TrimSpace(out), "\n") + 1; lines > 3 {
		t.Errorf("-q imprimiu %d linhas em stdout:\n%s", lines, out)
	}
	if !strings.Contains(errOut, "[PROGRESSO] 50/50 terminaram") {
		t.Errorf("falta a linha de progresso final em stderr:\n%s", errOut)
	}
}

func TestSVGTimeline(t *testing.T) {
	t.Parallel()
	s := e2e.StartFake(t, e2e.Delayed(100*time.Millisecond))
	file := filepath.Join(t.TempDir(), "linha.svg")
	// Clientes que conseguem e um grupo que é recusado (outra porta).
	out, _, r := run(t, "-port", s.Port, "-n", "6", "-svg", file, "-connect-timeout", "10s", "-timeout", "20s")
	if r.Count(summary.Success) != 6 || !strings.Contains(out, "[LINHA DO TEMPO] "+file) {
		t.Fatalf("%s\n%s", counts(r), out)
	}
	rows := svgRows(t, file)
	if len(rows) != 6 {
		t.Fatalf("%d linhas no SVG, esperava 6", len(rows))
	}
	for id, class := range rows {
		if class != "sucesso" || id < 1 || id > 6 {
			t.Errorf("linha do cliente %d com classe %q", id, class)
		}
	}
	refusedFile := filepath.Join(t.TempDir(), "recusa.svg")
	run(t, "-port", freePort(t), "-n", "3", "-svg", refusedFile)
	for id, class := range svgRows(t, refusedFile) {
		if class != "recusado" {
			t.Errorf("cliente %d: classe %q, esperava recusado", id, class)
		}
	}
}

// svgRows lê o SVG com encoding/xml e devolve id do cliente → classe.
func svgRows(t *testing.T, file string) map[int]string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[int]string{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("SVG inválido: %v", err)
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "g" {
			var id int
			var class string
			for _, a := range el.Attr {
				switch a.Name.Local {
				case "data-cliente":
					id, _ = strconv.Atoi(a.Value)
				case "class":
					class = a.Value
				}
			}
			if id > 0 {
				if _, dup := rows[id]; dup {
					t.Fatalf("cliente %d aparece duas vezes", id)
				}
				rows[id] = class
			}
		}
	}
}

func TestOrigins(t *testing.T) {
	t.Parallel()
	// Cada cliente sai de 127.0.0.(1 + id%4); o servidor vê os endereços.
	var mu sync.Mutex
	seen := map[string]bool{}
	s := e2e.StartFake(t, func(s *e2e.FakeServer, c net.Conn) {
		mu.Lock()
		seen[c.RemoteAddr().(*net.TCPAddr).IP.String()] = true
		mu.Unlock()
		e2e.Delayed(0)(s, c)
	})
	out, _, r := run(t, "-port", s.Port, "-n", "8", "-origens", "4", "-connect-timeout", "10s", "-timeout", "20s")
	if r.Count(summary.Success) != 8 {
		t.Fatalf("%s\n%s", counts(r), out)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 4 {
		t.Errorf("origens vistas pelo servidor: %v", seen)
	}
}

// Uso errado: código 2, uma linha em português, nenhuma conexão tentada.
func TestBadUsage(t *testing.T) {
	t.Parallel()
	s := e2e.StartFake(t, e2e.Delayed(0))
	// e2e.Run conta a compilação no seu prazo de 10 s: compilar antes.
	e2e.Build(t, "clientenervoso")
	for _, args := range [][]string{
		{"-host", "192.0.2.1"}, // fora do loopback, sem -permitir-remoto
		{"-host", "example.com"},
		{"-n", "0"},
		{"-n", "-3"},
		{"-timeout", "-1s"},
		{"-connect-timeout", "abc"},
		{"-origens", "0"},
		{"-original", "-timeout", "5s"},
		{"-porta", "1"},
		{"sobra"},
	} {
		stdout, stderr, code := e2e.Run(t, 10*time.Second, "clientenervoso", append(args, "-port", s.Port)...)
		if code != 2 || stdout != "" || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || stderr == "" {
			t.Errorf("%v: código %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if n := s.Accepted.Load(); n != 0 {
		t.Errorf("uso errado não deveria conectar; o servidor aceitou %d", n)
	}
}

// A linha de recusa diz, para cada sistema, o que a fila cheia produz ali
// (docs/fila-do-kernel.md, seções 2 e 6).
func TestRefusedTextPerSystem(t *testing.T) {
	t.Parallel()
	const addr = "127.0.0.1:65432"
	for _, c := range []struct {
		goos string
		want []string
	}{
		{"linux", []string{"ninguém escuta em " + addr, "Não é \"fila cheia\"", "TIMEOUT"}},
		{"darwin", []string{"ninguém escuta em " + addr, "Não é \"fila cheia\"", "TIMEOUT"}},
		{"freebsd", []string{"ninguém escuta em " + addr, "RESETADO", "syncache"}},
		{"windows", []string{"A fila estava cheia!", "ninguém escuta em " + addr}},
		{"netbsd", []string{"ninguém escuta em " + addr}},
	} {
		got := refusedText(c.goos, addr)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q não contém %q", c.goos, got, w)
			}
		}
		if c.goos != "windows" && strings.Contains(got, "A fila estava cheia!") {
			t.Errorf("%s: só no Windows a recusa é a fila cheia: %q", c.goos, got)
		}
	}
}
