package main

// Testes de ponta a ponta: o client de verdade (compilado por internal/e2e)
// contra servidores falsos escritos aqui com o pacote net. Só 127.0.0.1.

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"roteiro2/internal/e2e"
	"roteiro2/internal/summary"
)

// e2e.Run já roda os programas com GORACE=atexit_sleep_ms=0.
func TestMain(m *testing.M) { e2e.Main(m) }

// Os servidores falsos (e2e.StartFake) respondem como o server.py e o
// serverbloq.py; a porta é sempre livre, em 127.0.0.1.

func run(t *testing.T, args ...string) (stdout, stderr string, r summary.Resumo) {
	t.Helper()
	e2e.Build(t, "client") // compilar fora do prazo de e2e.Run
	stdout, stderr, code := e2e.Run(t, 60*time.Second, "client", args...)
	if code != 0 {
		t.Fatalf("client %v saiu com %d:\n%s%s", args, code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	r, err := summary.Parse(lines[len(lines)-1])
	if err != nil {
		t.Fatalf("a última linha de stdout não é o RESUMO: %v\n%s", err, stdout)
	}
	return stdout, stderr, r
}

// Os três clientes partem juntos: o servidor falso só responde depois de
// ver os três conectados ao mesmo tempo (um cliente que esperasse o outro
// nunca receberia nada e esbarraria no -timeout). Sem medir velocidade.
func TestThreeClientsLikeClientPy(t *testing.T) {
	t.Parallel()
	const delay = 200 * time.Millisecond
	s := e2e.StartFake(t, e2e.AllTogether(3, e2e.Delayed(delay)))
	out, _, r := run(t, "-port", s.Port, "-timeout", "15s")
	if r.Total != 3 || r.Count(summary.Success) != 3 {
		t.Fatalf("esperava 3 sucessos: %v\n%s", r, out)
	}
	// Ninguém recebe antes do atraso do servidor (o limite de cima é o prazo).
	if r.P50 < delay {
		t.Errorf("p50=%v, antes do atraso de %v", r.P50, delay)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if lines[0] != "--- DISPARANDO MÚLTIPLOS CLIENTES SIMULTANEAMENTE ---" ||
		lines[len(lines)-2] != "--- TODOS OS CLIENTES FINALIZADOS ---" {
		t.Errorf("cabeçalho/rodapé:\n%s", out)
	}
	for i := 1; i <= 3; i++ {
		for _, want := range []string{
			"[CLIENTE " + strconv.Itoa(i) + "] Enviando: Tarefa do Cliente " + strconv.Itoa(i) + "\n",
			"[CLIENTE " + strconv.Itoa(i) + "] Recebeu: Processado: Tarefa do Cliente " + strconv.Itoa(i) + "\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("falta %q:\n%s", want, out)
			}
		}
	}
}

// Contra um servidor sequencial, as respostas chegam um atraso depois da
// outra (a escada da Etapa 1.1).
func TestSequentialServerStaircase(t *testing.T) {
	t.Parallel()
	const delay = 300 * time.Millisecond
	s := e2e.StartFakeSequential(t, e2e.Delayed(delay))
	out, _, r := run(t, "-port", s.Port, "-n", "3")
	if r.Count(summary.Success) != 3 {
		t.Fatalf("%v\n%s", r, out)
	}
	// Limites de baixo: um servidor sequencial não tem como responder antes.
	if r.Max < 3*delay || r.P50 < 2*delay {
		t.Errorf("p50=%v max=%v; esperava a escada 1×, 2×, 3× %v", r.P50, r.Max, delay)
	}
}

func TestServerOffline(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	out, _, r := run(t, "-port", port)
	if r.Count(summary.Refused) != 3 || strings.Count(out, "] Erro: Servidor offline.\n") != 3 {
		t.Errorf("%v\n%s", r, out)
	}
	if !strings.Contains(out, "--- TODOS OS CLIENTES FINALIZADOS ---") {
		t.Errorf("falta o rodapé:\n%s", out)
	}
}

// Nada fica pendurado: um servidor que nunca responde esbarra no -timeout.
func TestReplyTimeoutAndClosedWithoutReply(t *testing.T) {
	t.Parallel()
	// Lê a tarefa e fica calado até o cliente desistir e fechar.
	mute := e2e.StartFake(t, func(_ *e2e.FakeServer, c net.Conn) { io.Copy(io.Discard, c) })
	out, _, r := run(t, "-port", mute.Port, "-timeout", "300ms")
	if r.Count(summary.ReplyTimeout) != 3 || !strings.Contains(out, "Erro: a resposta não chegou em 300ms.") {
		t.Errorf("%v\n%s", r, out)
	}
	closer := e2e.StartFake(t, func(s *e2e.FakeServer, c net.Conn) { s.ReadMsg(c) })
	out, _, r = run(t, "-port", closer.Port)
	if r.Count(summary.Other) != 3 || !strings.Contains(out, "Erro: o servidor fechou a conexão sem responder") {
		t.Errorf("%v\n%s", r, out)
	}
}

func TestQuietAndSVG(t *testing.T) {
	t.Parallel()
	s := e2e.StartFake(t, e2e.Delayed(50*time.Millisecond))
	file := filepath.Join(t.TempDir(), "client.svg")
	out, errOut, r := run(t, "-port", s.Port, "-n", "5", "-q", "-svg", file)
	if r.Count(summary.Success) != 5 || strings.Contains(out, "[CLIENTE") {
		t.Errorf("%v\n%s", r, out)
	}
	if !strings.Contains(errOut, "[PROGRESSO] 5/5 terminaram") {
		t.Errorf("stderr:\n%s", errOut)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	rows := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG inválido: %v", err)
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "g" {
			for _, a := range el.Attr {
				if a.Name.Local == "data-cliente" {
					rows++
					if cls := attr(el, "class"); cls != "sucesso" {
						t.Errorf("cliente %s com classe %q", a.Value, cls)
					}
				}
			}
		}
	}
	if rows != 5 {
		t.Errorf("%d linhas no SVG, esperava 5", rows)
	}
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func TestBadUsage(t *testing.T) {
	t.Parallel()
	s := e2e.StartFake(t, e2e.Delayed(0))
	// e2e.Run conta a compilação no seu prazo de 10 s: compilar antes.
	e2e.Build(t, "client")
	for _, args := range [][]string{
		{"-host", "192.0.2.1"},
		{"-host", "10.0.0.1", "-n", "1"},
		{"-n", "0"},
		{"-timeout", "-5"},
		{"-connect-timeout", "nunca"},
		{"-original"}, // só o clientenervoso tem
	} {
		stdout, stderr, code := e2e.Run(t, 10*time.Second, "client", append(args, "-port", s.Port)...)
		if code != 2 || stdout != "" || stderr == "" || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: código %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if n := s.Accepted.Load(); n != 0 {
		t.Errorf("uso errado não deveria conectar; o servidor aceitou %d", n)
	}
}
