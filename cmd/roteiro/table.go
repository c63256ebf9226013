package main

// Este arquivo guarda o que foi observado em cada etapa (Row) e o transforma
// em texto: a tabela alinhada do terminal e a tabela Markdown de tabela.md.
// Nada aqui mede ou executa; só formata, para poder ser testado sozinho.

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"roteiro2/internal/proc"
	"roteiro2/internal/summary"
	"roteiro2/internal/tcpstat"
)

// Row é uma linha da tabela: uma etapa executada (ou que não pôde rodar).
type Row struct {
	ID      string // identificador usado em -etapas ("2.1-200")
	Stage   string // coluna "etapa" ("2.1")
	Server  string // coluna "servidor" ("server (thread)")
	Clients int

	Res    summary.Resumo // RESUMO do cliente
	HasRes bool           // false: o cliente não chegou a imprimir o RESUMO

	// Números do processo servidor (-1 = n/d): threads e RSS antes da carga
	// (ocioso) e no pico; CPU (usuário+sistema) e trocas de contexto
	// (voluntárias+involuntárias) gastas durante a etapa.
	IdleThreads, PeakThreads int
	IdleRSS, PeakRSS         int64
	CPU                      time.Duration
	Switches                 int64
	// SwitchesFloor: as trocas vieram só das threads vivas na última
	// amostra (o servidor não informou o total no seu resumo); é um piso.
	SwitchesFloor bool
	// KernelStack de /proc/meminfo (bytes, a máquina inteira; -1 = n/d)
	// antes da carga e no pico: as pilhas do kernel das threads (kstack.go).
	IdleKStack, PeakKStack int64

	// Fila do kernel (só no Linux; -1 = n/d). Backlog: o -backlog passado
	// ao servidor (0 = o padrão dele). Queue: o pico do socket de escuta do
	// servidor durante a etapa (maior Recv-Q visto e o Send-Q, como em
	// `ss -ltn`). Overflows: a diferença de TcpExtListenOverflows ao longo
	// da etapa (cada SYN descartado, retransmissões incluídas, no network
	// namespace inteiro). QueueErr: por que a fila ficou n/d no Linux.
	// Cookies: quanto TcpExtTCPReqQFullDoCookies subiu (SYN respondidos com SYN
	// cookie, sem estado, porque a fila de SYN encheu; o namespace inteiro).
	Backlog   int
	Queue     tcpstat.Queue
	Overflows int64
	Cookies   int64
	QueueErr  string

	// Waits: onde as threads do servidor dormiam enquanto os clientes
	// esperavam (wchan de cada thread; a amostra escolhida por waitWatch).
	// nil = n/d (fora do Linux, ou nenhuma amostra).
	Waits proc.Waits

	// Delay: o delay com que a etapa rodou (em geral o pedido; stageDelay).
	// Adjust: o que a etapa mudou em relação ao pedido, e por quê (delay do
	// laboratório na 1.2, uma origem só no macOS). Skipped: por que a etapa
	// não roda neste sistema ("" = rodou, ou tentou).
	Delay   time.Duration
	Adjust  []string
	Skipped string

	Verdict Verdict
	Note    string // o que impediu a etapa de rodar, se algo impediu
	RunErr  string // a etapa não pôde rodar: por quê ("" = rodou)
	// ServerFailed: o servidor não saiu limpo com o SIGTERM (morreu no meio,
	// código ≠ 0, ou teve de ser morto).
	ServerFailed bool
	SVG          string // nome do arquivo da linha do tempo (em -saida), se houver
	Elapsed      time.Duration
}

// Verdict diz se o observado bate com o que o roteiro espera da etapa.
type Verdict struct {
	Checked bool   // false: nada a verificar neste sistema (ex.: fila TCP fora do Linux)
	OK      bool   // só vale se Checked
	Why     string // explicação curta, em português, do que foi verificado
	// Cookies: a etapa falhou só por poucos timeouts de conexão, e o kernel
	// respondeu com SYN cookies durante ela (backlogVerdict): a falha que
	// justifica repetir a etapa (retryStage).
	Cookies bool
}

// Mark é o símbolo da coluna "esperado".
func (v Verdict) Mark() string {
	switch {
	case !v.Checked:
		return "—"
	case v.OK:
		return "✓"
	}
	return "✗"
}

// noFigures devolve uma Row com os números do processo como "n/d".
func noFigures(r Row) Row {
	r.IdleThreads, r.PeakThreads = -1, -1
	r.IdleRSS, r.PeakRSS = -1, -1
	r.CPU, r.Switches = -1, -1
	r.IdleKStack, r.PeakKStack = -1, -1
	r.Queue, r.Overflows, r.Cookies = tcpstat.Queue{RecvQ: -1, SendQ: -1}, -1, -1
	return r
}

// RSSPerConn é (pico − ocioso) / clientes, ou -1 se não há como calcular.
// Pode dar perto de zero (ou negativo, se o coletor de lixo devolveu
// memória): é uma medida, não uma promessa.
func (r Row) RSSPerConn() int64 {
	if r.IdleRSS < 0 || r.PeakRSS < 0 || r.Clients <= 0 {
		return -1
	}
	return (r.PeakRSS - r.IdleRSS) / int64(r.Clients)
}

// Header são as colunas da tabela, na ordem pedida pelo roteiro (issue 4),
// mais "esperado". A pilha do kernel por conexão (colKStack) fica só na
// tabela Markdown e na de -escala: esta, no terminal, já passa de 190 colunas.
// Os desfechos (sucesso … erro) são todos os do RESUMO: somam os clientes.
var Header = []string{
	"etapa", "servidor", "clientes", "sucesso", "timeout conexão", "timeout resposta",
	"recusado", "resetado", "erro", "p50", "max", "threads SO (pico)", "RSS pico", "RSS/conexão", "CPU",
	"trocas de contexto", "esperado",
}

// Cells devolve as células da linha, na ordem de Header.
func (r Row) Cells() []string {
	c := []string{r.Stage, r.Server, fmt.Sprint(r.Clients)}
	if r.HasRes {
		c = append(c,
			fmt.Sprint(r.Res.Count(summary.Success)),
			fmt.Sprint(r.Res.Count(summary.ConnectTimeout)),
			fmt.Sprint(r.Res.Count(summary.ReplyTimeout)),
			fmt.Sprint(r.Res.Count(summary.Refused)),
			resetCell(r.Res),
			fmt.Sprint(r.Res.Count(summary.Other)),
			dur(r.Res.P50), dur(r.Res.Max))
	} else {
		c = append(c, "-", "-", "-", "-", "-", "-", "-", "-")
	}
	c = append(c, threads(r.IdleThreads, r.PeakThreads), proc.Bytes(r.PeakRSS),
		perConn(r.RSSPerConn()), proc.Seconds(r.CPU), switches(r.Switches, r.SwitchesFloor),
		r.Verdict.Mark())
	return c
}

// resetCell: os resetados, e quantos deles depois de receber a resposta
// (um servidor que responde e fecha sem ler a tarefa: o kernel manda RST).
func resetCell(res summary.Resumo) string {
	n := fmt.Sprint(res.Count(summary.Reset))
	if res.ResetAfterReply > 0 {
		n += fmt.Sprintf(" (%d após a resposta)", res.ResetAfterReply)
	}
	return n
}

// Colunas da fila do kernel: na tabela Markdown (antes de "esperado") e na
// seção "Fila do kernel" do terminal (a tabela principal já é larga). Onde
// as threads esperam: na tabela Markdown e numa seção própria no terminal.
const (
	colQueue     = "fila listen (pico Recv-Q/Send-Q)"
	colOverflows = "SYN descartados"
	colWaits     = "onde as threads esperam"
)

// QueueHeader são as colunas da seção "Fila do kernel".
var QueueHeader = []string{"etapa", "servidor", "clientes", colQueue, colOverflows}

// QueueCells são as células de uma linha da seção "Fila do kernel".
func (r Row) QueueCells() []string {
	return []string{r.Stage, r.Server, fmt.Sprint(r.Clients), queueCell(r.Queue), count(r.Overflows)}
}

// extraColumn é uma coluna só da tabela Markdown (a do terminal já passa de
// 190 colunas): entra logo depois da coluna After de Header.
type extraColumn struct {
	After, Name string
	Cell        func(Row) string
}

// markdownExtras: onde as threads esperam ao lado das threads; a pilha do
// kernel ao lado do RSS; a fila do kernel antes de "esperado".
var markdownExtras = []extraColumn{
	{"threads SO (pico)", colWaits, func(r Row) string { return r.Waits.String() }},
	{"RSS/conexão", colKStack, func(r Row) string { return perConn(r.KStackPerConn()) }},
	{"trocas de contexto", colQueue, func(r Row) string { return queueCell(r.Queue) }},
	{"trocas de contexto", colOverflows, func(r Row) string { return count(r.Overflows) }},
}

// MarkdownHeader é Header com as colunas de markdownExtras.
func MarkdownHeader() []string {
	return withExtras(Header, func(e extraColumn) string { return e.Name })
}

// MarkdownCells são as células da linha na ordem de MarkdownHeader.
func (r Row) MarkdownCells() []string {
	return withExtras(r.Cells(), func(e extraColumn) string { return e.Cell(r) })
}

// withExtras intercala em base (na ordem de Header) as colunas extras.
func withExtras(base []string, val func(extraColumn) string) []string {
	out := make([]string, 0, len(base)+len(markdownExtras))
	for i, h := range Header {
		out = append(out, base[i])
		for _, e := range markdownExtras {
			if e.After == h {
				out = append(out, val(e))
			}
		}
	}
	return out
}

// queueCell formata o pico da fila: "2/1" (Recv-Q/Send-Q); "2/?" se só o
// Recv-Q pôde ser lido (/proc/net/tcp não traz o limite); "n/d" sem nada.
func queueCell(q tcpstat.Queue) string {
	switch {
	case q.RecvQ < 0:
		return "n/d"
	case q.SendQ < 0:
		return fmt.Sprintf("%d/?", q.RecvQ)
	}
	return fmt.Sprintf("%d/%d", q.RecvQ, q.SendQ)
}

func count(n int64) string {
	if n < 0 {
		return "n/d"
	}
	return fmt.Sprint(n)
}

// queueNote explica as colunas da fila (terminal, tabela.md e -h).
const queueNote = `Recv-Q: conexões com o handshake completo esperando accept() (o maior valor visto);
Send-Q: o limite dessa fila, o backlog de listen(2) (limitado por net.core.somaxconn).
SYN descartados: quanto TcpExtListenOverflows (nstat) subiu durante a etapa; conta cada
SYN (e cada ACK final) descartado por fila cheia, retransmissões incluídas, e vale para o
network namespace inteiro: outro tráfego da máquina no mesmo intervalo pode somar.`

// FormatQueue é a seção "Fila do kernel" do terminal: uma linha por etapa,
// com a legenda (queueNote) se legend.
func FormatQueue(rows []Row, every time.Duration, legend bool) string {
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = r.QueueCells()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Fila do kernel: o socket de escuta de cada servidor durante a etapa (só Linux; amostrado a cada %v)\n", every)
	b.WriteString(FormatText(QueueHeader, cells))
	if legend {
		b.WriteString(queueNote + "\n")
	}
	for _, r := range rows {
		if r.QueueErr != "" {
			fmt.Fprintf(&b, "%s %s: fila n/d: %s\n", r.Stage, r.Server, r.QueueErr)
		}
	}
	return b.String()
}

// WaitsHeader são as colunas da seção "Onde as threads esperam".
var WaitsHeader = []string{"etapa", "servidor", "clientes", colWaits}

// waitsNote explica a seção (terminal e tabela.md).
const waitsNote = `Cada thread do servidor agrupada pela função do kernel em que dormia (o "wait channel",
/proc/PID/task/TID/wchan, o mesmo que "ps -L -o tid,wchan:20 -p PID"): recv (wait_woken), sleep
(hrtimer_nanosleep), accept (inet_csk_accept), epoll_wait (do_epoll_wait), futex (threads paradas
numa trava ou no escalonador do runtime do Go; o nome muda com o kernel: futex_do_wait nos recentes,
como o 6.18, futex_wait_queue do 5.16 até a reforma do futex de 2025, futex_wait_queue_me antes do
5.16; o sysmon do runtime às vezes aparece como 1 sleep). Amostrado enquanto os clientes esperavam, a cada 200 ms (mais espaçado com
milhares de threads); fica a amostra mais perto do meio do atraso, quando os clientes já mandaram
o pedido e esperam a resposta. Só Linux; n/d nos outros.`

// FormatWaits é a seção "Onde as threads esperam" do terminal, com a
// legenda (waitsNote) se legend.
func FormatWaits(rows []Row, legend bool) string {
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = []string{r.Stage, r.Server, fmt.Sprint(r.Clients), r.Waits.String()}
	}
	s := "Onde as threads do servidor esperam (só Linux)\n" + FormatText(WaitsHeader, cells)
	if legend {
		s += waitsNote + "\n"
	}
	return s
}

// FormatRun é o que o roteiro imprime depois das etapas. Numa rodada
// inteira: a tabela, as seções com as suas legendas e a linha de cada
// veredicto. Com compact (-exigir com uma etapa só, a correção automática),
// a conclusão vem primeiro (ResultLine) e as legendas ficam no -h.
func FormatRun(rows []Row, compact bool) string {
	var b strings.Builder
	if compact {
		for _, r := range rows {
			b.WriteString(ResultLine(r) + "\n\n")
		}
	}
	b.WriteString(FormatText(Header, rowsCells(rows)) + "\n")
	b.WriteString(FormatWaits(rows, !compact) + "\n")
	b.WriteString(FormatQueue(rows, queueEvery, !compact))
	if compact {
		b.WriteString("(cada coluna e cada veredicto estão explicados em go run ./cmd/roteiro -h)\n")
		return b.String()
	}
	b.WriteString("\n")
	for _, r := range rows {
		b.WriteString(VerdictLine(r) + "\n")
	}
	return b.String()
}

// ResultLine é a conclusão de uma etapa para quem a exigiu (-exigir): ✓ ou
// ✗ e o motivo, numa linha; uma etapa que não rodou é ✗.
func ResultLine(r Row) string {
	switch {
	case r.RunErr != "":
		return fmt.Sprintf("✗ %s %s: não pôde rodar: %s", r.Stage, r.Server, r.RunErr)
	case r.Skipped != "":
		return fmt.Sprintf("✗ %s %s: não rodou: %s", r.Stage, r.Server, r.Skipped)
	}
	return VerdictLine(r)
}

// dur formata p50/max como o RESUMO ("5.01s"), "-" se não houve sucesso.
func dur(d time.Duration) string {
	if d < 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// threads mostra o pico e quanto subiu desde o repouso: "15 (+10)".
func threads(idle, peak int) string {
	switch {
	case peak < 0:
		return "n/d"
	case idle < 0:
		return fmt.Sprint(peak)
	}
	return fmt.Sprintf("%d (%+d)", peak, peak-idle)
}

// perConn formata memória por conexão; um valor negativo (o GC devolveu
// memória durante a etapa) aparece como "≈0".
func perConn(b int64) string {
	switch {
	case b == -1:
		return "n/d"
	case b < 0:
		return "≈0"
	}
	return proc.Bytes(b)
}

func switches(n int64, floor bool) string {
	if n < 0 {
		return "n/d"
	}
	if floor {
		return fmt.Sprintf("≥%d", n)
	}
	return fmt.Sprint(n)
}

// FormatText alinha a tabela para o terminal: colunas separadas por " | ",
// largura medida em runas (acentos e ✓ contam como um caractere).
func FormatText(header []string, rows [][]string) string {
	width := make([]int, len(header))
	for i, h := range header {
		width[i] = utf8.RuneCountInString(h)
	}
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(c)
			if i < len(cells)-1 { // sem espaços no fim da linha
				b.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)))
			}
		}
		b.WriteString("\n")
	}
	line(header)
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = strings.Repeat("-", width[i])
	}
	b.WriteString(strings.Join(sep, "-+-") + "\n")
	for _, r := range rows {
		line(r)
	}
	return b.String()
}

// FormatMarkdown escreve a mesma tabela em Markdown (GitHub).
func FormatMarkdown(header []string, rows [][]string) string {
	var b strings.Builder
	esc := func(cells []string) string {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		return "| " + strings.Join(out, " | ") + " |\n"
	}
	b.WriteString(esc(header))
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
	}
	b.WriteString("|" + strings.Join(sep, "|") + "|\n")
	for _, r := range rows {
		b.WriteString(esc(r))
	}
	return b.String()
}

// rowsCells aplica Cells a todas as linhas.
func rowsCells(rows []Row) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = r.Cells()
	}
	return out
}

// VerdictLine é a linha explicativa impressa abaixo da tabela para cada etapa.
func VerdictLine(r Row) string {
	s := fmt.Sprintf("%s %-7s %s: %s", r.Verdict.Mark(), r.Stage, r.Server, r.Verdict.Why)
	if r.Note != "" {
		s += " — " + r.Note
	}
	for _, a := range r.Adjust {
		s += " (" + a + ")"
	}
	return s
}
