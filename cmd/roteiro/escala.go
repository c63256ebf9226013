package main

// -escala: os três modelos de servidor lado a lado (issue 5). Para cada N,
// cada modelo é um processo novo com o mesmo cliente (clientenervoso -q
// -origens 8); depois, o cenário de "churn": delay 0 e conexões curtas em
// sequência vindas de um número fixo de laços de cliente, que este
// programa gera ele mesmo (o clientenervoso dispara N clientes uma vez só).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"roteiro2/internal/summary"
)

// model é um dos três modelos comparados.
type model struct {
	Name   string // coluna "modelo"
	Server string
	Args   []string
}

var models = []model{
	{"thread", "server", []string{"-modelo", "thread"}},
	{"goroutine", "server", []string{"-modelo", "goroutine"}},
	{"server_async", "server_async", nil},
}

const (
	scaleOrigins = 8    // -origens do clientenervoso
	scaleBacklog = 4096 // net.core.somaxconn: a fila não deve ser o assunto aqui
	maxThreads   = 20000
	churnLoops   = 50 // laços de cliente no churn
)

// scaleRow é uma linha da tabela de escala.
type scaleRow struct {
	Model string
	N     int    // clientes simultâneos (0 no churn)
	Churn bool   // cenário de conexões em sequência
	Skip  string // motivo de não ter rodado
	Row          // desfechos e números do servidor (Clients = conexões)
	P99   time.Duration
	Rate  float64 // churn: conexões por segundo
	Ratio string  // comparação com o modelo goroutine
}

// nCell é a coluna N.
func (s scaleRow) nCell(churn time.Duration) string {
	if s.Churn {
		return fmt.Sprintf("churn %d×%v", churnLoops, churn)
	}
	return strconv.Itoa(s.N)
}

// perConnCPU é a CPU do servidor por conexão, em µs (-1 = n/d).
func (s scaleRow) perConnCPU() float64 {
	if s.CPU < 0 || s.Clients <= 0 {
		return -1
	}
	return float64(s.CPU.Microseconds()) / float64(s.Clients)
}

// scaleHeader: a tabela de -escala.
var scaleHeader = []string{"modelo", "N", "clientes ok", "p50", "p99", "threads SO (pico)",
	"memória/conexão", colKStack, "CPU/conexão", "trocas de contexto", "vs goroutine"}

func (s scaleRow) cells(churn time.Duration) []string {
	c := []string{s.Model, s.nCell(churn)}
	if s.Skip != "" {
		return append(c, "pulado: "+s.Skip, "", "", "", "", "", "", "", "")
	}
	ok := "-"
	if s.HasRes {
		ok = fmt.Sprintf("%d/%d", s.Res.Count(summary.Success), s.Res.Total)
		if s.Churn {
			ok = fmt.Sprintf("%d (%.0f/s)", s.Res.Count(summary.Success), s.Rate)
			if e := s.Res.Total - s.Res.Count(summary.Success); e > 0 {
				ok += fmt.Sprintf(", %d falhas", e)
			}
		}
	}
	mem, kstack := perConn(s.RSSPerConn()), perConn(s.KStackPerConn())
	if s.Churn {
		mem, kstack = "-", "-" // no churn há só ~50 conexões vivas por vez
	}
	cpu := "n/d"
	if v := s.perConnCPU(); v >= 0 {
		cpu = fmt.Sprintf("%.0f µs", v)
	}
	p50, p99 := dur(s.Res.P50), dur(s.P99)
	if s.Churn { // conexões curtas: milissegundos
		p50, p99 = ms(s.Res.P50), ms(s.P99)
	}
	return append(c, ok, p50, p99, threads(s.IdleThreads, s.PeakThreads), mem, kstack, cpu,
		switches(s.Switches, s.SwitchesFloor), s.Ratio)
}

// ms formata uma duração curta em milissegundos ("-" se negativa).
func ms(d time.Duration) string {
	if d < 0 {
		return "-"
	}
	return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
}

// parseNs interpreta -escala-n.
func parseNs(list string) ([]int, error) {
	var ns []int
	for f := range strings.SplitSeq(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-escala-n: %q não é um número de clientes", f)
		}
		ns = append(ns, n)
	}
	if len(ns) == 0 {
		return nil, errors.New("-escala-n vazio")
	}
	return ns, nil
}

func runEscala(ctx context.Context, o options) int {
	ns, err := parseNs(o.escalaN)
	if err != nil {
		fmt.Fprintf(os.Stderr, "roteiro: %v\n", err)
		return 2
	}
	bins, cleanup, err := programs(ctx, map[string]bool{"server": true, "server_async": true, "clientenervoso": true}, o.bin)
	defer cleanup()
	if err != nil {
		fmt.Fprintf(os.Stderr, "roteiro: %v\n", err)
		return 1
	}
	rn := &runner{bins: bins, delay: o.delay}
	progress("roteiro -escala: N=%v, delay %v, churn %v", ns, o.delay, o.churn)
	begin := time.Now()
	var rows []scaleRow
	failed := false
	threadBroken := "" // o modelo thread falhou: não tentar N maiores
	for _, n := range ns {
		for _, m := range models {
			if ctx.Err() != nil {
				break
			}
			sr := scaleRow{Model: m.Name, N: n}
			switch {
			case m.Name == "thread" && n+50 > maxThreads:
				sr.Skip = fmt.Sprintf("N acima de -max-threads (%d) do servidor", maxThreads)
			case m.Name == "thread" && threadBroken != "":
				sr.Skip = threadBroken
			}
			if sr.Skip != "" {
				progress("escala %-12s N=%-6d pulado: %s", m.Name, n, sr.Skip)
				rows = append(rows, sr)
				continue
			}
			progress("escala %-12s N=%-6d ...", m.Name, n)
			st := stageDef{ID: fmt.Sprintf("escala-%s-%d", m.Name, n), Stage: "escala", ServerName: m.Name,
				Server: m.Server, ServerArgs: m.Args, Client: "clientenervoso", N: n, Origins: scaleOrigins,
				Scale: true}
			r, err := rn.runStage(ctx, st)
			sr.Row = r
			if r.Skipped != "" {
				sr.Skip = r.Skipped
			}
			if r.HasRes {
				sr.P99 = r.Res.P99
			}
			if m.Name == "thread" && ctx.Err() == nil && (err != nil || r.ServerFailed) {
				// O modelo thread não aguentou (prazo estourado, servidor
				// morto): os N maiores ficam de fora, com o motivo.
				threadBroken = fmt.Sprintf("o modelo falhou em N=%d", n)
				if err != nil {
					sr.Skip = "falhou: " + err.Error()
				}
			} else if err != nil && ctx.Err() == nil {
				failed = true
				sr.Skip = "não pôde rodar: " + err.Error()
			}
			rows = append(rows, sr)
			progress("  %s", scaleProgress(sr))
		}
	}
	if o.churn > 0 {
		for _, m := range models {
			if ctx.Err() != nil {
				break
			}
			if reason := asyncReason(runtime.GOOS); m.Server == "server_async" && reason != "" {
				rows = append(rows, scaleRow{Model: m.Name, Churn: true, Skip: reason})
				continue
			}
			progress("churn  %-12s %d laços × %v ...", m.Name, churnLoops, o.churn)
			sr, err := rn.runChurn(ctx, m, o.churn)
			if err != nil && ctx.Err() == nil {
				failed = true
				sr.Skip = "não pôde rodar: " + err.Error()
			}
			rows = append(rows, sr)
			progress("  %s", scaleProgress(sr))
		}
	}
	addRatios(rows)

	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = r.cells(o.churn)
	}
	fmt.Print(FormatText(scaleHeader, cells))
	progress("roteiro -escala: %.0fs no total", time.Since(begin).Seconds())
	if o.saida != "" {
		path := filepath.Join(o.saida, "desempenho.md")
		if err := os.WriteFile(path, []byte(scaleReport(cells, rows, o)), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "roteiro: %v\n", err)
			return 1
		}
		progress("roteiro: tabela em %s", path)
	}
	switch {
	case ctx.Err() != nil:
		progress("roteiro: interrompido; filhos encerrados")
		return 130
	case failed:
		return 1
	}
	return 0
}

func scaleProgress(s scaleRow) string {
	if s.Skip != "" {
		return "pulado: " + s.Skip
	}
	c := s.cells(0)
	return fmt.Sprintf("ok %s, p50 %s, p99 %s, threads %s, mem/conexão %s, pilha do kernel/conexão %s, CPU/conexão %s (%.1fs)",
		c[2], c[3], c[4], c[5], c[6], c[7], c[8], s.Elapsed.Seconds())
}

// addRatios preenche "vs goroutine": memória, CPU e trocas por conexão (e,
// no churn, conexões por segundo) divididas pelas do modelo goroutine
// medido no mesmo N, na mesma execução.
func addRatios(rows []scaleRow) {
	for i := range rows {
		r := &rows[i]
		if r.Skip != "" {
			continue
		}
		j := slices.IndexFunc(rows, func(g scaleRow) bool {
			return g.Model == "goroutine" && g.Churn == r.Churn && g.N == r.N && g.Skip == ""
		})
		if j < 0 {
			continue
		}
		if j == i {
			r.Ratio = "referência"
			continue
		}
		g := rows[j]
		var parts []string
		if r.Churn {
			if g.Rate > 0 {
				parts = append(parts, fmt.Sprintf("conexões/s ×%.2f", r.Rate/g.Rate))
			}
		} else if a, b := r.RSSPerConn(), g.RSSPerConn(); a > 0 && b > 0 {
			parts = append(parts, fmt.Sprintf("mem ×%.2f", float64(a)/float64(b)))
		}
		if a, b := r.perConnCPU(), g.perConnCPU(); a >= 0 && b > 0 {
			parts = append(parts, fmt.Sprintf("CPU ×%.2f", a/b))
		}
		// Trocas: razão só quando a referência é exata; se esta linha é
		// um piso (threads que morreram não contam), a razão também é.
		if a, b := r.Switches, g.Switches; a >= 0 && b > 0 && !g.SwitchesFloor && r.Clients > 0 && g.Clients > 0 {
			ge := ""
			if r.SwitchesFloor {
				ge = "≥"
			}
			parts = append(parts, fmt.Sprintf("trocas %s×%.2f", ge, (float64(a)/float64(r.Clients))/(float64(b)/float64(g.Clients))))
		}
		r.Ratio = strings.Join(parts, ", ")
	}
}

// runChurn mede um modelo com delay 0 e conexões curtas em sequência:
// churnLoops goroutines, cada uma conecta, envia, lê até o EOF e fecha, em
// laço, durante d. O cliente roda dentro do roteiro (package net).
func (rn *runner) runChurn(ctx context.Context, m model, d time.Duration) (scaleRow, error) {
	sr := scaleRow{Model: m.Name, Churn: true}
	sr.Row = noFigures(Row{Stage: "churn", Server: m.Name})
	start := time.Now()
	args := append([]string{"-delay", "0", "-q", "-backlog", strconv.Itoa(scaleBacklog)}, m.Args...)
	srv, err := rn.startServer(ctx, m.Server, args)
	if err != nil {
		return sr, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(srv.port))
	res, elapsed := churnLoad(ctx, addr, churnLoops, d)
	srv.sampler.stop()
	forced := srv.c.stop(10 * time.Second)
	code := srv.c.exitCode()
	srv.figures(&sr.Row, summary.ServerKeys(srv.c.out.String()))
	sr.Res, sr.HasRes, sr.P99 = res, true, res.P99
	sr.Clients = res.Count(summary.Success)
	sr.Rate = float64(sr.Clients) / elapsed.Seconds()
	sr.Elapsed = time.Since(start)
	if forced || code != 0 {
		sr.Note = fmt.Sprintf("servidor saiu com código %d (forçado: %v)", code, forced)
	}
	return sr, nil
}

// churnLoad é o cliente do churn. Devolve o RESUMO (tempos por conexão, do
// connect ao EOF) e quanto tempo a carga durou de fato.
func churnLoad(ctx context.Context, addr string, loops int, d time.Duration) (summary.Resumo, time.Duration) {
	var (
		mu       sync.Mutex
		outcomes []summary.Outcome
		times    []time.Duration
		wg       sync.WaitGroup
	)
	start := time.Now()
	stopAt := start.Add(d)
	msg := []byte("Tarefa do churn")
	for range loops {
		wg.Go(func() {
			buf := make([]byte, 4096)
			var outs []summary.Outcome
			var ts []time.Duration
			for time.Now().Before(stopAt) && ctx.Err() == nil {
				t0 := time.Now()
				o := churnOnce(addr, msg, buf)
				outs = append(outs, o)
				if o == summary.Success {
					ts = append(ts, time.Since(t0))
				}
			}
			mu.Lock()
			outcomes, times = append(outcomes, outs...), append(times, ts...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return summary.Make(outcomes, times), time.Since(start)
}

// churnOnce faz uma conexão completa: connect, envia, lê até o EOF, fecha.
func churnOnce(addr string, msg, buf []byte) summary.Outcome {
	c, err := net.DialTimeout("tcp4", addr, 5*time.Second)
	if err != nil {
		return classify(err, true)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write(msg); err != nil {
		return classify(err, false)
	}
	got := 0
	for {
		n, err := c.Read(buf)
		got += n
		if errors.Is(err, io.EOF) {
			if got == 0 {
				return summary.Other // fechou sem responder
			}
			return summary.Success
		}
		if err != nil {
			return classify(err, false)
		}
	}
}

// classify traduz um erro de rede num desfecho do RESUMO.
func classify(err error, connecting bool) summary.Outcome {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		if connecting {
			return summary.ConnectTimeout
		}
		return summary.ReplyTimeout
	case isRefused(err):
		return summary.Refused
	case isReset(err):
		return summary.Reset
	}
	return summary.Other
}

// scaleReport é o conteúdo de desempenho.md.
func scaleReport(cells [][]string, rows []scaleRow, o options) string {
	var b strings.Builder
	b.WriteString("# Desempenho: três modelos de servidor lado a lado\n\n")
	fmt.Fprintf(&b, "- Data: %s\n", time.Now().Format("2006-01-02 15:04:05 -0700"))
	fmt.Fprintf(&b, "- Máquina: %s\n", machine())
	fmt.Fprintf(&b, "- Comando: `%s`\n", commandLine())
	fmt.Fprintf(&b, "- Servidores: delay %v, -q, -backlog %d; `server -modelo thread`, `server -modelo goroutine`, `server_async`, um processo novo por linha.\n",
		o.delay, scaleBacklog)
	fmt.Fprintf(&b, "- Cliente: `clientenervoso -q -origens %d -connect-timeout 10s -timeout %v` (N clientes ao mesmo tempo, cliente e servidor nos mesmos núcleos).\n",
		scaleOrigins, o.delay+30*time.Second)
	if o.churn > 0 {
		fmt.Fprintf(&b, "- Churn: servidor com delay 0; %d laços de cliente (no próprio roteiro, package net) fazendo conecta/envia/lê até o EOF/fecha durante %v; p50/p99 por conexão.\n",
			churnLoops, o.churn)
	}
	b.WriteString("\n")
	b.WriteString(FormatMarkdown(scaleHeader, cells))
	b.WriteString(`
Colunas: *memória/conexão* = (RSS de pico − RSS em repouso) / N; *CPU/conexão* = CPU do
servidor (usuário + sistema) durante a rodada / conexões; *trocas de contexto* = voluntárias
+ involuntárias do servidor na rodada ("≥": só as threads vivas puderam ser contadas, um piso);
*threads SO (pico)* entre parênteses: quanto subiu desde o repouso; *vs goroutine*: razões por
conexão em relação ao modelo goroutine no mesmo N, na mesma execução (a máquina é ruidosa:
compare razões, não valores absolutos entre execuções). Números medidos pelo roteiro em /proc
e, para CPU e trocas, pelo getrusage do próprio servidor (seu [RESUMO SERVIDOR], CPU com
resolução de 10 ms: com N=1000, ±10 µs por conexão).

` + kstackNote + `No churn as duas colunas de memória ficam "-" (só ~50 conexões vivas por vez); *vs goroutine*
não compara a pilha do kernel (no modelo goroutine ela é ≈0, só ruído).

Com milhares de conexões, o modelo thread paga sobretudo o kernel (trocar, acordar e criar
threads: finish_task_switch, futex_wake, clone) e um pouco o runtime do Go (cada thread que
termina passa por runtime.mexit, que percorre a lista de todas as threads do runtime, e cada
chamada bloqueante que volta sem um P, GOMAXPROCS = núcleos, espera a vez numa trava do
escalonador); veja docs/medidas/perf-thread-10000.txt (perf record do servidor com 10.000
conexões, por scripts/perfil-thread.sh).
As chamadas de sistema por conexão do server_async (strace -c): scripts/contar-syscalls.sh,
que grava docs/medidas/syscalls.txt. O custo por conexão da camada de streams do reactor (o que
o server_async usa: Read, Sleep, Write, Drain, Close, WaitClosed) contra os callbacks do núcleo:
scripts/medir-streams.sh, que grava docs/medidas/camada-streams.txt.
`)
	b.WriteString(syscallsSummary(filepath.Join(o.saida, "medidas", "syscalls.txt")))
	b.WriteString(streamsSummary(filepath.Join(o.saida, "medidas", "camada-streams.txt")))
	var notes []string
	for _, r := range rows {
		if r.Note != "" {
			notes = append(notes, fmt.Sprintf("- %s %s: %s", r.Model, r.nCell(o.churn), r.Note))
		}
	}
	if len(notes) > 0 {
		b.WriteString("\nObservações:\n\n" + strings.Join(notes, "\n") + "\n")
	}
	return b.String()
}

// syscallsSummary traz para desempenho.md as linhas principais da última
// contagem de chamadas de sistema (scripts/contar-syscalls.sh): o comando, a
// data e as chamadas de E/S por conexão. "" se o arquivo não existe.
func syscallsSummary(path string) string {
	return measureSummary(path, "Última contagem", "E/S por conexão")
}

// streamsSummary traz para desempenho.md as medianas da última medição da
// camada de streams (scripts/medir-streams.sh). "" se o arquivo não existe.
func streamsSummary(path string) string {
	return measureSummary(path, "Última medição da camada de streams",
		"medianas", "tempo de parede", "CPU do laço", "memória", "alocações")
}

// measureSummary são as linhas 2 e 3 (o comando, a data) de um arquivo de
// docs/medidas e as que começam com um dos prefixos, com o título dado.
func measureSummary(path, title string, prefixes ...string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var keep []string
	for i, line := range strings.Split(string(data), "\n") {
		if i == 1 || i == 2 || slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(line, p) }) {
			keep = append(keep, "    "+line)
		}
	}
	if len(keep) == 0 {
		return ""
	}
	return "\n" + title + " (" + filepath.ToSlash(path) + "):\n\n" + strings.Join(keep, "\n") + "\n"
}
