package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"roteiro2/internal/proc"
	"roteiro2/internal/summary"
	"roteiro2/internal/tcpstat"
)

func sampleRow() Row {
	res, err := summary.Parse("RESUMO total=10 sucesso=3 timeout_conexao=6 timeout_resposta=1 recusado=0 resetado=0 erro=0 p50=1.01s p99=2.00s max=2.00s")
	if err != nil {
		panic(err)
	}
	return Row{ID: "1.2", Stage: "1.2", Server: "servergargalo", Clients: 10, Res: res, HasRes: true,
		IdleThreads: 5, PeakThreads: 7, IdleRSS: 4 << 20, PeakRSS: 5 << 20, CPU: 120 * time.Millisecond,
		Switches: 340, IdleKStack: 1552 << 10, PeakKStack: 1712 << 10, Backlog: 1, Queue: tcpstat.Queue{RecvQ: 2, SendQ: 1}, Overflows: 26,
		Verdict: Verdict{Checked: true, OK: true, Why: "ok"}}
}

// TestQueueColumns: a fila do kernel fica fora da tabela do terminal (numa
// seção própria) e entra na tabela Markdown antes de "esperado".
func TestQueueColumns(t *testing.T) {
	r := sampleRow()
	if got := strings.Join(r.QueueCells(), ","); got != "1.2,servergargalo,10,2/1,26" {
		t.Errorf("QueueCells = %s", got)
	}
	r.Waits = proc.Waits{"hrtimer_nanosleep": 1, "futex_do_wait": 6}
	h, c := MarkdownHeader(), r.MarkdownCells()
	if len(h) != len(Header)+len(markdownExtras) || len(c) != len(h) || h[len(h)-1] != "esperado" || c[len(c)-1] != "✓" {
		t.Fatalf("Markdown:\n%q\n%q", h, c)
	}
	if h[len(h)-3] != "fila listen (pico Recv-Q/Send-Q)" || c[len(c)-3] != "2/1" ||
		h[len(h)-2] != "SYN descartados" || c[len(c)-2] != "26" {
		t.Errorf("colunas da fila no Markdown:\n%q\n%q", h, c)
	}
	// A pilha do kernel logo depois de RSS/conexão, onde as threads esperam
	// logo depois das threads; tirando as colunas a mais, o resto é a linha
	// do terminal.
	k := slices.Index(h, colKStack)
	if k < 1 || h[k-1] != "RSS/conexão" || c[k] != "16.0KiB" {
		t.Errorf("pilha do kernel no Markdown (índice %d):\n%q\n%q", k, h, c)
	}
	w := slices.Index(h, colWaits)
	if w < 1 || h[w-1] != "threads SO (pico)" || c[w] != "6 futex (futex_do_wait) · 1 sleep (hrtimer_nanosleep)" {
		t.Errorf("onde as threads esperam no Markdown (índice %d):\n%q\n%q", w, h, c)
	}
	var rest, hr []string
	for i := range h {
		if !slices.Contains([]string{colKStack, colWaits, colQueue, colOverflows}, h[i]) {
			rest, hr = append(rest, c[i]), append(hr, h[i])
		}
	}
	if !slices.Equal(rest, r.Cells()) || !slices.Equal(hr, Header) {
		t.Errorf("Markdown mudou as outras colunas:\n%q\n%q", hr, rest)
	}
	if nd := noFigures(Row{Stage: "3.3"}).MarkdownCells(); nd[slices.Index(h, colWaits)] != "n/d" {
		t.Errorf("sem amostra de wchan: %q", nd)
	}
	text := FormatWaits([]Row{r, noFigures(Row{Stage: "3.3", Server: "server_async", Clients: 10})}, true)
	for _, want := range []string{"| onde as threads esperam", "1.2   | servergargalo | 10       | 6 futex (futex_do_wait) · 1 sleep (hrtimer_nanosleep)\n",
		"3.3   | server_async  | 10       | n/d\n", "wchan"} {
		if !strings.Contains(text, want) {
			t.Errorf("FormatWaits sem %q:\n%s", want, text)
		}
	}
	// Sem medida: n/d; só o Recv-Q (leitura por /proc/net/tcp): "2/?".
	if got := strings.Join(noFigures(Row{Stage: "3.3", Server: "server_async", Clients: 10}).QueueCells()[3:], ","); got != "n/d,n/d" {
		t.Errorf("sem fila: %s", got)
	}
	r.Queue.SendQ = -1
	if got := r.QueueCells()[3]; got != "2/?" {
		t.Errorf("sem Send-Q: %s", got)
	}
	r2 := noFigures(Row{Stage: "3.3", Server: "server_async", Clients: 10})
	r2.QueueErr = "tcpstat: netlink: permissão negada"
	text = FormatQueue([]Row{sampleRow(), r2}, 25*time.Millisecond, true)
	for _, w := range []string{"Fila do kernel", "a cada 25ms", "1.2   | servergargalo | 10       | 2/1", "| n/d",
		"retransmissões incluídas", "namespace", "3.3 server_async: fila n/d: tcpstat: netlink: permissão negada"} {
		if !strings.Contains(text, w) {
			t.Errorf("FormatQueue sem %q:\n%s", w, text)
		}
	}
}

// TestFiguresPreferSummary: CPU e trocas de contexto vêm do resumo do
// servidor (getrusage, threads mortas incluídas) menos o repouso; sem o
// resumo, da última amostra do /proc, e as trocas viram piso ("≥").
func TestFiguresPreferSummary(t *testing.T) {
	idle := proc.Figures{Threads: 5, RSS: 4 << 20, PeakRSS: 4 << 20, User: 10 * time.Millisecond, System: 10 * time.Millisecond, Voluntary: 100, Involuntary: 10}
	last := proc.Figures{Threads: 6, RSS: 5 << 20, PeakRSS: 5 << 20, User: 50 * time.Millisecond, System: 20 * time.Millisecond, Voluntary: 300, Involuntary: 20}
	srv := &serverRun{sampler: &sampler{idle: idle, last: last, peakThreads: 7, peakRSS: 5 << 20}}
	keys := summary.ServerKeys("x\n[RESUMO SERVIDOR] atendidas=10 falhas=0 interrompidas=0 threads_pico=9 rss_pico=5.0MiB " +
		"cpu_usuario=0.12s cpu_sistema=0.08s trocas_vol=900 trocas_invol=90 erros_accept=0\n")
	var r Row
	srv.figures(&r, keys)
	if r.CPU != 180*time.Millisecond || r.Switches != 880 || r.SwitchesFloor || r.PeakThreads != 9 {
		t.Errorf("com resumo: CPU %v trocas %d (piso %v) threads %d; queria 180ms, 880, exato, 9", r.CPU, r.Switches, r.SwitchesFloor, r.PeakThreads)
	}
	for _, k := range []map[string]string{{}, {"cpu_usuario": "n/d", "cpu_sistema": "n/d", "trocas_vol": "n/d", "trocas_invol": "n/d"}} {
		var r Row
		srv.figures(&r, k)
		if r.CPU != 50*time.Millisecond || r.Switches != 210 || !r.SwitchesFloor {
			t.Errorf("sem resumo %v: CPU %v trocas %d (piso %v); queria 50ms, ≥210", k, r.CPU, r.Switches, r.SwitchesFloor)
		}
	}
}

func TestCells(t *testing.T) {
	r := sampleRow()
	got := r.Cells()
	want := []string{"1.2", "servergargalo", "10", "3", "6", "1", "0", "0", "0", "1.01s", "2.00s", "7 (+2)",
		"5.0MiB", "102.4KiB", "0.12s", "340", "✓"}
	if len(got) != len(Header) {
		t.Fatalf("%d células para %d colunas", len(got), len(Header))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("coluna %q = %q, want %q", Header[i], got[i], want[i])
		}
	}
	// Sem RESUMO e sem /proc: traços e n/d, nunca números inventados.
	r = noFigures(Row{Stage: "3.3", Server: "server_async", Clients: 10})
	c := strings.Join(r.Cells(), ",")
	if c != "3.3,server_async,10,-,-,-,-,-,-,-,-,n/d,n/d,n/d,n/d,n/d,—" {
		t.Errorf("linha vazia: %s", c)
	}
	r = sampleRow()
	r.Switches, r.SwitchesFloor, r.PeakRSS = 12, true, 3<<20 // RSS caiu: ≈0
	c = strings.Join(r.Cells(), ",")
	if !strings.Contains(c, ",≥12,") || !strings.Contains(c, ",≈0,") {
		t.Errorf("piso de trocas / RSS negativo: %s", c)
	}
}

func TestFormatTextAligned(t *testing.T) {
	rows := [][]string{sampleRow().Cells(), noFigures(Row{Stage: "Desafio", Server: "server_async", Clients: 200}).Cells()}
	text := FormatText(Header, rows)
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("esperava cabeçalho, separador e 2 linhas:\n%s", text)
	}
	// Todas as colunas começam na mesma posição (em runas) em todas as linhas.
	pos := func(l string) []int {
		var p []int
		for i := range len(l) {
			if strings.HasPrefix(l[i:], " | ") || strings.HasPrefix(l[i:], "-+-") {
				p = append(p, utf8.RuneCountInString(l[:i]))
			}
		}
		return p
	}
	want := pos(lines[0])
	if len(want) != len(Header)-1 {
		t.Fatalf("%d separadores no cabeçalho: %q", len(want), lines[0])
	}
	for _, l := range lines[1:] {
		if got := pos(l); !slices.Equal(got, want) {
			t.Errorf("desalinhado:\n%s\n%s", lines[0], l)
		}
		if strings.HasSuffix(l, " ") {
			t.Errorf("espaço no fim da linha: %q", l)
		}
	}
	for _, h := range Header {
		if !strings.Contains(lines[0], h) {
			t.Errorf("cabeçalho sem %q", h)
		}
	}
}

func TestFormatMarkdown(t *testing.T) {
	md := FormatMarkdown([]string{"a", "b|c"}, [][]string{{"1", "x|y"}})
	want := "| a | b\\|c |\n|---|---|\n| 1 | x\\|y |\n"
	if md != want {
		t.Errorf("markdown:\n%s\nwant:\n%s", md, want)
	}
}

func TestSelectStages(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"", strings.ReplaceAll(stageIDs(), " ", "")},
		{"3.3,1.1", "1.1,3.3"}, // sempre na ordem do roteiro
		{"2.1", "2.1"},         // ID exato não vira prefixo
		{"escala", "escala-async,escala-goroutine,escala-thread"},
		{" Desafio , 1.2", "1.2,desafio"},
	} {
		got, err := selectStages(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		var ids []string
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		if strings.Join(ids, ",") != tc.want {
			t.Errorf("%q → %v, want %s", tc.in, ids, tc.want)
		}
	}
	if _, err := selectStages("9.9"); err == nil {
		t.Error("etapa desconhecida aceita")
	}
}

func TestChecks(t *testing.T) {
	d := time.Second
	mk := func(line string, clients, idleT, peakT int) Row {
		res, err := summary.Parse(line)
		if err != nil {
			t.Fatal(err)
		}
		return Row{Clients: clients, Res: res, HasRes: true, IdleThreads: idleT, PeakThreads: peakT}
	}
	seq := mk("RESUMO total=3 sucesso=3 timeout_conexao=0 timeout_resposta=0 recusado=0 resetado=0 erro=0 p50=2.00s p99=3.01s max=3.01s", 3, 4, 4)
	if v := checkSequential(seq, d); !v.OK {
		t.Errorf("sequencial deveria passar: %s", v.Why)
	}
	par := seq
	par.Res.Max = 1010 * time.Millisecond
	if v := checkFlat(par, d); !v.OK {
		t.Errorf("3 em paralelo, threads planas: %s", v.Why)
	}
	if v := checkSequential(par, d); v.OK {
		t.Errorf("3 em paralelo não é sequencial: %s", v.Why)
	}
	thr := mk("RESUMO total=10 sucesso=10 timeout_conexao=0 timeout_resposta=0 recusado=0 resetado=0 erro=0 p50=1.01s p99=1.02s max=1.02s", 10, 5, 16)
	if v := checkThreadPerConn(thr, d); !v.OK {
		t.Errorf("thread por conexão: %s", v.Why)
	}
	if v := checkFlat(thr, d); v.OK {
		t.Errorf("16 threads para 10 clientes não é plano: %s", v.Why)
	}
	flat := thr
	flat.PeakThreads = 7
	if v := checkFlat(flat, d); !v.OK {
		t.Errorf("plano: %s", v.Why)
	}
	flat.PeakThreads = 9
	if v := checkThreadPerConn(flat, d); v.OK {
		t.Errorf("7 threads não cresceram com 10 clientes: %s", v.Why)
	}
	late := thr
	late.Res.Max = 3200 * time.Millisecond
	if v := checkThreadPerConn(late, d); v.OK {
		t.Errorf("max de 3.2s com delay 1s não é concorrente: %s", v.Why)
	}
	failed := mk("RESUMO total=10 sucesso=9 timeout_conexao=0 timeout_resposta=0 recusado=0 resetado=1 erro=0 p50=1.01s p99=1.02s max=1.02s", 10, 5, 7)
	if v := checkFlat(failed, d); v.OK || !strings.Contains(v.Why, "resetado") {
		t.Errorf("um reset não pode passar: %s", v.Why)
	}
}

// A Etapa 1.2 em cada sistema (backlogVerdict recebe o sistema e os
// núcleos, para que o veredicto de todos seja testado aqui).
func TestBacklogVerdict(t *testing.T) {
	d := 5 * time.Second
	mk := func(line string) Row {
		res, err := summary.Parse(line)
		if err != nil {
			t.Fatal(err)
		}
		return Row{Clients: 10, Res: res, HasRes: true, Backlog: 1, Queue: tcpstat.Queue{RecvQ: 2, SendQ: 1}, Overflows: 14}
	}
	// O que o Linux mostra com delay de 5 s: 3 entram, 7 desistem de
	// conectar, 1 resposta em 5 s (a segunda, em 10 s, corre com o prazo).
	lesson := mk("RESUMO total=10 sucesso=1 timeout_conexao=7 timeout_resposta=2 recusado=0 resetado=0 erro=0 p50=5.00s p99=5.00s max=5.00s")
	if v := backlogVerdict("linux", 2, lesson, d); !v.OK || !strings.Contains(v.Why, "pico Recv-Q/Send-Q 2/1") ||
		!strings.Contains(v.Why, "14 SYN descartado") || !strings.Contains(v.Why, "≥5 timeout de conexão") {
		t.Errorf("a lição da 1.2 no Linux: %s", v.Why)
	}
	// O servergargalo.py nunca lê: responde e fecha com a tarefa por ler, e o
	// kernel manda RST. A resposta chegou: conta como respondido, e a
	// explicação e a tabela dizem que veio um RST depois.
	py := mk("RESUMO total=10 sucesso=0 timeout_conexao=7 timeout_resposta=2 recusado=0 resetado=1 erro=0 p50=- p99=- max=- resetado_apos_resposta=1")
	if v := backlogVerdict("linux", 2, py, d); !v.OK || !strings.Contains(v.Why, "1 respondido(s) (1 deles com RST logo depois da resposta") {
		t.Errorf("servergargalo.py: %s", v.Why)
	}
	py.Stage, py.Server = "1.2", "python3 servergargalo.py"
	cells, sum := py.Cells(), 0
	for _, col := range []string{"sucesso", "timeout conexão", "timeout resposta", "recusado", "resetado", "erro"} {
		n := 0
		fmt.Sscan(cells[slices.Index(Header, col)], &n)
		sum += n
	}
	if sum != py.Clients || cells[slices.Index(Header, "resetado")] != "1 (1 após a resposta)" {
		t.Errorf("os desfechos da tabela somam %d de %d clientes: %q", sum, py.Clients, cells)
	}
	reset := py
	reset.Res.ResetAfterReply = 0 // RST sem resposta nenhuma: ninguém foi respondido
	if v := backlogVerdict("linux", 2, reset, d); v.OK {
		t.Errorf("resetado sem resposta não pode passar: %s", v.Why)
	}

	// A lição perdida (o -rapido de antes: delay de 1 s, a fila anda antes de
	// os de fora desistirem): quase todos entram atrasados. É ✗.
	lost := mk("RESUMO total=10 sucesso=1 timeout_conexao=0 timeout_resposta=9 recusado=0 resetado=0 erro=0 p50=1.00s p99=1.00s max=1.00s")
	lost3 := mk("RESUMO total=10 sucesso=2 timeout_conexao=4 timeout_resposta=4 recusado=0 resetado=0 erro=0 p50=1.00s p99=2.00s max=2.00s")
	for _, r := range []Row{lost, lost3} {
		if v := backlogVerdict("linux", 2, r, d); v.OK {
			t.Errorf("menos da metade com timeout de conexão não pode passar: %s", v.Why)
		}
	}
	bad := func(what string, r Row) {
		t.Helper()
		if v := backlogVerdict("linux", 2, r, d); v.OK {
			t.Errorf("%s não pode passar: %s", what, v.Why)
		}
	}
	// A fila do kernel: Send-Q tem de ser o backlog pedido, Recv-Q ≤ backlog + núcleos.
	for _, q := range []tcpstat.Queue{{RecvQ: 4, SendQ: 1}, {RecvQ: 1, SendQ: 128}} {
		r := lesson
		r.Queue = q
		bad(fmt.Sprintf("fila %+v", q), r)
	}
	many := lesson
	many.Res.Counts[summary.Success], many.Res.Counts[summary.ReplyTimeout] = 3, 0
	if v := backlogVerdict("linux", 2, many, d); !v.OK {
		t.Errorf("3 respondidos (5 s, 10 s e um no limite): %s", v.Why)
	}
	many.Res.Counts[summary.Success], many.Res.Counts[summary.ConnectTimeout] = 4, 6
	bad("4 respondidos com delay 5 s e prazo 10 s", many)
	none := lesson
	none.Res.Counts[summary.Success], none.Res.Counts[summary.ReplyTimeout] = 0, 3
	bad("nenhuma resposta", none)
	refused := lesson
	refused.Res.Counts[summary.Refused], refused.Res.Counts[summary.ConnectTimeout] = 1, 6
	bad("recusado no Linux", refused)
	one := lesson
	one.Res.Counts[summary.ConnectTimeout], one.Res.Counts[summary.ReplyTimeout] = 9, 0
	bad("só 1 conectou", one)
	// Sem a fila (netlink indisponível): não se inventa; diz que não verificou.
	nd := lesson
	nd.Queue = tcpstat.Queue{RecvQ: 2, SendQ: -1}
	if v := backlogVerdict("linux", 2, nd, d); !v.OK || !strings.Contains(v.Why, "não verificados") {
		t.Errorf("fila sem Send-Q: %s", v.Why)
	}

	// Windows: listen(1) de verdade; a fila cheia responde RST, e quem fica
	// de fora é recusado ou expira: metade ou mais de fora. Todos dentro
	// esperando a vez (a fila que não encheu) é ✗.
	rst := mk("RESUMO total=10 sucesso=1 timeout_conexao=3 timeout_resposta=1 recusado=5 resetado=0 erro=0 p50=5.00s p99=5.00s max=5.00s")
	for _, r := range []Row{rst, lesson} {
		v := backlogVerdict("windows", 2, r, d)
		if !v.OK || !strings.Contains(v.Why, "RST") || strings.Contains(v.Why, "Linux") || strings.Contains(v.Why, "nunca recusa") {
			t.Errorf("Windows: %s", v.Why)
		}
	}
	allIn := mk("RESUMO total=10 sucesso=2 timeout_conexao=0 timeout_resposta=8 recusado=0 resetado=0 erro=0 p50=5.00s p99=10.0s max=10.0s")
	if v := backlogVerdict("windows", 2, allIn, d); v.OK {
		t.Errorf("Windows, todos dentro (a fila não encheu): %s", v.Why)
	}
	for _, goos := range []string{"darwin", "freebsd", "windows"} {
		if v := backlogVerdict(goos, 2, none, d); v.OK || strings.Contains(v.Why, "Linux") {
			t.Errorf("%s sem resposta: %s", goos, v.Why)
		}
	}
	for _, goos := range []string{"darwin", "freebsd"} {
		if v := backlogVerdict(goos, 2, lesson, d); !v.OK || !strings.Contains(v.Why, "não verificado") {
			t.Errorf("%s: %s", goos, v.Why)
		}
	}
}

// A 1.2 nunca roda com delay curto demais para a lição; as outras, com o pedido.
func TestStageDelay(t *testing.T) {
	stages, _ := selectStages("1.2,2.1")
	if d, why := stageDelay(stages[0], time.Second); d != labDelay || !strings.Contains(why, "5s nesta etapa") || !strings.Contains(why, "não 1s") {
		t.Errorf("1.2 com -rapido: %v %q", d, why)
	}
	for _, asked := range []time.Duration{3 * time.Second, 5 * time.Second, 8 * time.Second} {
		if d, why := stageDelay(stages[0], asked); d != asked || why != "" {
			t.Errorf("1.2 com delay %v: %v %q", asked, d, why)
		}
	}
	if d, why := stageDelay(stages[1], 300*time.Millisecond); d != 300*time.Millisecond || why != "" {
		t.Errorf("2.1 com 300ms: %v %q", d, why)
	}
}

// O server_async não roda (nem compila para rodar) sem epoll, kqueue ou
// WSAPoll: a etapa aparece com o motivo, sem veredicto, e não conta como
// falha.
func TestAsyncReason(t *testing.T) {
	for _, goos := range []string{"linux", "darwin", "freebsd", "openbsd", "netbsd", "dragonfly", "windows"} {
		if r := asyncReason(goos); r != "" {
			t.Errorf("%s: %q", goos, r)
		}
	}
	if r := asyncReason("solaris"); !strings.Contains(r, "WSAPoll") {
		t.Errorf("solaris: %q", r)
	}
	r := noFigures(Row{Stage: "3.3", Server: "server_async", Clients: 10, Skipped: asyncReason("solaris")})
	r.Verdict = Verdict{Why: "não roda neste sistema: " + r.Skipped}
	if got := VerdictLine(r); !strings.HasPrefix(got, "— 3.3     server_async: não roda neste sistema: precisa de epoll, kqueue ou WSAPoll") {
		t.Errorf("linha: %q", got)
	}
}

func TestScaleRatiosAndNs(t *testing.T) {
	if ns, err := parseNs("1000, 5000,19000"); err != nil || len(ns) != 3 || ns[2] != 19000 {
		t.Errorf("parseNs = %v, %v", ns, err)
	}
	if _, err := parseNs("mil"); err == nil {
		t.Error("parseNs aceitou texto")
	}
	mk := func(m string, rss int64, cpu time.Duration, sw int64, floor bool) scaleRow {
		return scaleRow{Model: m, N: 1000, Row: Row{Clients: 1000, IdleRSS: 0, PeakRSS: rss, CPU: cpu,
			Switches: sw, SwitchesFloor: floor, IdleThreads: 5, PeakThreads: 6}}
	}
	rows := []scaleRow{
		mk("thread", 30<<20, 500*time.Millisecond, 4000, true),
		mk("goroutine", 10<<20, 100*time.Millisecond, 2000, false),
		mk("server_async", 1<<20, 40*time.Millisecond, 1000, false),
		{Model: "thread", N: 19000, Skip: "teste"},
	}
	addRatios(rows)
	for i, want := range []string{"mem ×3.00, CPU ×5.00, trocas ≥×2.00", "referência", "mem ×0.10, CPU ×0.40, trocas ×0.50", ""} {
		if rows[i].Ratio != want {
			t.Errorf("%s: %q, want %q", rows[i].Model, rows[i].Ratio, want)
		}
	}
	if c := rows[2].cells(0); len(c) != len(scaleHeader) || c[8] != "40 µs" || c[6] != "1.0KiB" || c[7] != "0.0KiB" ||
		scaleHeader[7] != colKStack {
		t.Errorf("células: %q", c)
	}
	if c := rows[3].cells(0); len(c) != len(scaleHeader) || c[2] != "pulado: teste" {
		t.Errorf("linha pulada: %q", c)
	}
}

// desempenho.md traz as linhas principais de syscalls.txt, e nada se o
// arquivo não existe.
func TestSyscallsSummary(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/syscalls.txt"
	if got := syscallsSummary(path); got != "" {
		t.Errorf("sem arquivo: %q", got)
	}
	text := "# título\ncomando: N=4000 scripts/contar-syscalls.sh\n2026-12-01 15:15 UTC | commit x\nservidor: ...\n\nE/S por conexão (as linhas marcadas E/S):      7.21   (piso deste protocolo: 7)\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	got := syscallsSummary(path)
	for _, want := range []string{"comando: N=4000", "2026-12-01 15:15 UTC", "E/S por conexão", "7.21"} {
		if !strings.Contains(got, want) {
			t.Errorf("falta %q em %q", want, got)
		}
	}
	if strings.Contains(got, "título") || strings.Contains(got, "servidor:") {
		t.Errorf("linhas demais: %q", got)
	}
	streams := dir + "/camada-streams.txt"
	text = "# título\ncomando: COUNT=8 scripts/medir-streams.sh\n2026-12-04 | commit y\n\nBenchmarkChurn-2 1 2 ns/op\n\nmedianas x\nCPU do laço 1 2 +0.1 µs\nalocações 2 7 +5\n"
	if err := os.WriteFile(streams, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	got = streamsSummary(streams)
	if !strings.Contains(got, "COUNT=8") || !strings.Contains(got, "alocações 2 7 +5") || strings.Contains(got, "BenchmarkChurn") {
		t.Errorf("resumo da camada de streams: %q", got)
	}
}
