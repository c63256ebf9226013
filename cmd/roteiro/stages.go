package main

// As etapas do roteiro e como cada uma é executada: servidor como processo
// filho numa porta livre do loopback, amostragem dos números do servidor,
// cliente até o fim, servidor parado com SIGTERM, linha da tabela.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"roteiro2/internal/proc"
	"roteiro2/internal/summary"
	"roteiro2/internal/tcpstat"
)

// stageDef descreve uma etapa.
type stageDef struct {
	ID         string   // nome em -etapas
	Stage      string   // coluna "etapa"
	ServerName string   // coluna "servidor"
	Server     string   // programa servidor
	ServerArgs []string // flags além de -port/-delay/-q
	Client     string   // "client" ou "clientenervoso"
	N          int      // clientes
	Origins    int      // -origens do clientenervoso (0 = padrão)
	Backlog    int      // -backlog do servidor (0 = o padrão dele)
	// Scale: rodada de escala (linhas "escala" e -escala): o servidor usa
	// -backlog 4096 e o cliente prazos largos (10 s para entrar, delay + 30 s
	// para a resposta), para medir o modelo e não a fila do listen nem a
	// impaciência do cliente. O prazo da rodada é delay + 60 s.
	Scale bool
	check func(r Row, delay time.Duration) Verdict
}

// allStages são as etapas do roteiro (issue 4), na ordem em que rodam.
var allStages = []stageDef{
	{ID: "1.1", Stage: "1.1", ServerName: "serverbloq", Server: "serverbloq", Client: "client", N: 3, check: checkSequential},
	{ID: "1.2", Stage: "1.2", ServerName: "servergargalo", Server: "servergargalo", Client: "clientenervoso", N: 10, Backlog: 1, check: checkBacklog},
	{ID: "2.1", Stage: "2.1", ServerName: "server (thread)", Server: "server", ServerArgs: []string{"-modelo", "thread"}, Client: "clientenervoso", N: 10, check: checkThreadPerConn},
	{ID: "2.1-200", Stage: "2.1", ServerName: "server (thread)", Server: "server", ServerArgs: []string{"-modelo", "thread"}, Client: "clientenervoso", N: 200, check: checkThreadPerConn},
	{ID: "2.1-goroutine", Stage: "2.1", ServerName: "server (goroutine)", Server: "server", ServerArgs: []string{"-modelo", "goroutine"}, Client: "clientenervoso", N: 10, check: checkFlat},
	{ID: "2.1-goroutine-200", Stage: "2.1", ServerName: "server (goroutine)", Server: "server", ServerArgs: []string{"-modelo", "goroutine"}, Client: "clientenervoso", N: 200, check: checkFlat},
	{ID: "3.3", Stage: "3.3", ServerName: "server_async", Server: "server_async", Client: "clientenervoso", N: 10, check: checkFlat},
	{ID: "desafio", Stage: "Desafio", ServerName: "server_async", Server: "server_async", Client: "clientenervoso", N: 200, check: checkFlat},
	{ID: "escala-async", Stage: "escala", ServerName: "server_async", Server: "server_async", Client: "clientenervoso", N: 2000, Origins: 4, Scale: true, check: checkScaleFlat},
	{ID: "escala-goroutine", Stage: "escala", ServerName: "server (goroutine)", Server: "server", ServerArgs: []string{"-modelo", "goroutine"}, Client: "clientenervoso", N: 2000, Origins: 4, Scale: true, check: checkScaleFlat},
	{ID: "escala-thread", Stage: "escala", ServerName: "server (thread)", Server: "server", ServerArgs: []string{"-modelo", "thread"}, Client: "clientenervoso", N: 2000, Origins: 4, Scale: true, check: checkScaleThreads},
}

// selectStages interpreta -etapas: lista separada por vírgulas de IDs; um
// item sem ID exato vale como prefixo ("escala" = as duas linhas de escala).
func selectStages(list string) ([]stageDef, error) {
	if strings.TrimSpace(list) == "" {
		return allStages, nil
	}
	want := map[string]bool{}
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		found := false
		for _, s := range allStages {
			if strings.EqualFold(s.ID, item) {
				want[s.ID], found = true, true
			}
		}
		if !found {
			for _, s := range allStages {
				if strings.HasPrefix(strings.ToLower(s.ID), strings.ToLower(item)+"-") {
					want[s.ID], found = true, true
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("etapa desconhecida %q (conhecidas: %s)", item, stageIDs())
		}
	}
	var out []stageDef
	for _, s := range allStages { // sempre na ordem do roteiro
		if want[s.ID] {
			out = append(out, s)
		}
	}
	return out, nil
}

func stageIDs() string {
	ids := make([]string, len(allStages))
	for i, s := range allStages {
		ids[i] = s.ID
	}
	return strings.Join(ids, ", ")
}

// startupLine é a linha de início de todo servidor (contracts.md).
var startupLine = regexp.MustCompile(`(?:Servidor rodando|Rodando) em [0-9.]+:(\d+)`)

// runner guarda o que todas as etapas compartilham.
type runner struct {
	bins   map[string]string // programa → caminho do executável
	delay  time.Duration
	outDir string // -saida ("" = não grava)
}

// errCouldNotRun marca falhas que tornam a execução incompleta (código de
// saída ≠ 0): servidor que não subiu, cliente que não rodou.
type errCouldNotRun struct{ msg string }

func (e errCouldNotRun) Error() string { return e.msg }

// serverRun é um servidor iniciado e medido.
type serverRun struct {
	c       *child
	port    int
	sampler *sampler
}

// startServer inicia um servidor em -port 0 e espera a linha de início.
func (rn *runner) startServer(ctx context.Context, prog string, args []string) (*serverRun, error) {
	c, err := startChild(ctx, prog, rn.bins[prog], append([]string{"-port", "0"}, args...), false)
	if err != nil {
		return nil, errCouldNotRun{err.Error()}
	}
	m, err := c.waitFor(startupLine, 15*time.Second)
	if err != nil {
		c.stop(2 * time.Second)
		return nil, errCouldNotRun{err.Error()}
	}
	port, _ := strconv.Atoi(m[1])
	// A linha de início sai antes de o runtime terminar de se arrumar: 200 ms
	// de repouso para que o RSS "ocioso" seja mesmo o de repouso.
	time.Sleep(200 * time.Millisecond)
	return &serverRun{c: c, port: port, sampler: startSampler(c.Pid())}, nil
}

// figures combina a amostragem com o resumo que o servidor imprimiu ao sair
// e preenche as colunas de processo da linha.
func (s *serverRun) figures(r *Row, keys map[string]string) {
	idle, last, peakThreads, peakRSS := s.sampler.result()
	r.IdleThreads, r.PeakThreads = idle.Threads, peakThreads
	r.IdleKStack, r.PeakKStack = s.sampler.kstack()
	if t, err := strconv.Atoi(keys["threads_pico"]); err == nil && t > r.PeakThreads && r.PeakThreads >= 0 {
		r.PeakThreads = t // o próprio servidor viu um pico entre duas amostras
	}
	r.IdleRSS, r.PeakRSS = idle.RSS, peakRSS
	// CPU e trocas de contexto: o servidor conhece o total exato (getrusage
	// soma as threads que já terminaram) e o imprime no resumo; sem ele
	// (Windows, servidor morto), a última amostra do /proc.
	r.CPU = -1
	user, e1 := parseSeconds(keys["cpu_usuario"])
	sys, e2 := parseSeconds(keys["cpu_sistema"])
	switch {
	case idle.CPU() < 0:
	case e1 == nil && e2 == nil:
		r.CPU = max(0, user+sys-idle.CPU())
	case last.CPU() >= 0:
		r.CPU = max(0, last.CPU()-idle.CPU())
	}
	// Trocas: pelo /proc só vemos as threads vivas (um piso, "≥").
	r.Switches = -1
	vol, e3 := strconv.ParseInt(keys["trocas_vol"], 10, 64)
	inv, e4 := strconv.ParseInt(keys["trocas_invol"], 10, 64)
	switch {
	case idle.Switches() < 0:
	case e3 == nil && e4 == nil:
		r.Switches = max(0, vol+inv-idle.Switches())
	case last.Switches() >= 0:
		r.Switches, r.SwitchesFloor = max(0, last.Switches()-idle.Switches()), true
	}
}

// nervousConnect é o prazo de conexão padrão do clientenervoso (-connect-timeout).
const nervousConnect = 2 * time.Second

// parseSeconds lê uma duração do resumo ("0.12s"); "n/d" dá erro.
func parseSeconds(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err == nil && d < 0 {
		err = fmt.Errorf("duração negativa %q", s)
	}
	return d, err
}

// clientArgs monta a linha de comando do cliente de uma etapa e devolve
// também o prazo dele: o pior caso pelos seus timeouts mais 60 s (ou Bound).
func (rn *runner) clientArgs(st stageDef, port int, svg string) ([]string, time.Duration) {
	args := []string{"-host", "127.0.0.1", "-port", strconv.Itoa(port), "-n", strconv.Itoa(st.N), "-q"}
	var worst time.Duration
	if st.Client == "client" {
		// Clientes educados esperam a vez: o último espera N atendimentos.
		t := time.Duration(st.N)*rn.delay + 30*time.Second
		args = append(args, "-timeout", t.String())
		worst = 10*time.Second + t
	} else {
		// A mesma proporção do laboratório: paciência de 2 s para entrar e,
		// depois de entrar, 2 × o delay (10 s para o sleep(5) original).
		t := max(2*rn.delay, 2*time.Second)
		args = append(args, "-timeout", t.String())
		if st.Origins > 0 {
			args = append(args, "-origens", strconv.Itoa(st.Origins))
		}
		worst = 2*time.Second + t
	}
	bound := worst + 60*time.Second // folga generosa: só pega o que travou
	if st.Scale {
		// No pacote flag a última ocorrência vence.
		args = append(args, "-connect-timeout", "10s", "-timeout", (rn.delay + 30*time.Second).String())
		bound = rn.delay + 60*time.Second
	}
	if svg != "" {
		args = append(args, "-svg", svg)
	}
	return args, bound
}

// runStage executa uma etapa do começo ao fim.
func (rn *runner) runStage(ctx context.Context, st stageDef) (Row, error) {
	start := time.Now()
	r := noFigures(Row{ID: st.ID, Stage: st.Stage, Server: st.ServerName, Clients: st.N})

	args := append([]string{"-delay", rn.delay.String()}, st.ServerArgs...)
	if st.N >= 100 {
		args = append(args, "-q")
	}
	r.Backlog = st.Backlog
	if st.Scale {
		r.Backlog = scaleBacklog
	}
	if r.Backlog > 0 {
		args = append(args, "-backlog", strconv.Itoa(r.Backlog))
	}
	srv, err := rn.startServer(ctx, st.Server, args)
	if err != nil {
		r.Note = err.Error()
		return r, err
	}
	// A fila do kernel: do instante antes do cliente até ele terminar.
	kq := watchQueue(srv.port)

	svg := ""
	if rn.outDir != "" {
		r.SVG = "etapa-" + st.ID + ".svg"
		svg = filepath.Join(rn.outDir, r.SVG)
	}
	cargs, bound := rn.clientArgs(st, srv.port, svg)
	cctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	cl, err := startChild(cctx, st.Client, rn.bins[st.Client], cargs, true)
	if err != nil {
		kq.finish(&r)
		srv.sampler.stop()
		srv.c.stop(5 * time.Second)
		r.Note = err.Error()
		return r, errCouldNotRun{err.Error()}
	}
	<-cl.done
	kq.finish(&r)      // o servidor ainda escuta: última amostra da fila
	srv.sampler.stop() // última amostra: o servidor ainda está vivo
	clientOut := cl.out.String()

	// Nada mais em andamento: o servidor deve sair logo após o SIGTERM.
	code, forced := srv.c.stop(rn.delay + 10*time.Second)
	srvOut := srv.c.out.String()
	srv.figures(&r, summary.ServerKeys(srvOut))
	r.Elapsed = time.Since(start)

	var runErr error
	switch res, perr := summary.Find(clientOut); {
	case ctx.Err() != nil:
		runErr = ctx.Err()
		r.Note = "interrompido"
	case cctx.Err() != nil:
		r.Note = fmt.Sprintf("cliente estourou o prazo de %v e foi morto", bound)
		runErr = errCouldNotRun{st.ID + ": " + r.Note}
	case perr != nil:
		r.Note = fmt.Sprintf("cliente sem RESUMO (%v): %s %s", cl.wait, tail(clientOut, 200), tail(cl.err.String(), 200))
		runErr = errCouldNotRun{st.ID + ": " + r.Note}
	default:
		r.Res, r.HasRes = res, true
	}
	switch {
	case ctx.Err() != nil: // Ctrl-C: nada a verificar nem a explicar
		r.Verdict = Verdict{Why: "interrompido"}
		r.Note = ""
		return r, runErr
	case forced:
		r.ServerFailed = true
		r.Note = strings.TrimPrefix(r.Note+"; servidor não saiu com SIGTERM e foi morto", "; ")
	case code != 0 && runtime.GOOS != "windows":
		r.ServerFailed = true
		r.Note = strings.TrimPrefix(fmt.Sprintf("%s; servidor saiu com código %d", r.Note, code), "; ")
	}
	if r.HasRes && st.check != nil {
		r.Verdict = st.check(r, rn.delay)
	} else if st.check == nil {
		r.Verdict = Verdict{}
	} else {
		r.Verdict = Verdict{Checked: true, OK: false, Why: "sem resultado do cliente"}
	}
	if svg != "" {
		if _, err := os.Stat(svg); err != nil {
			r.SVG = ""
		}
	}
	return r, runErr
}

// sampler lê proc.Of(pid) periodicamente: pico de threads e de RSS, e a
// primeira (repouso) e a última amostra para as diferenças de CPU e trocas.
// Na mesma batida lê KernelStack de /proc/meminfo (kstack.go; a máquina
// inteira): o valor em repouso e o pico.
// Ler /proc/PID/task/*/status custa caro com milhares de threads: o
// intervalo é 50 ms ou 4 × o custo da última leitura, o que for maior, para
// que medir não roube mais que ~20% de um núcleo do que se mede.
type sampler struct {
	pid  int
	quit chan struct{}
	done chan struct{}

	mu          sync.Mutex
	idle, last  proc.Figures
	peakThreads int
	peakRSS     int64
	// KernelStack em bytes (-1 = n/d): repouso e pico (o pico inclui o repouso).
	idleKStack, peakKStack int64
}

func startSampler(pid int) *sampler {
	s := &sampler{pid: pid, quit: make(chan struct{}), done: make(chan struct{}), peakThreads: -1, peakRSS: -1}
	ks := readKernelStack()
	f, err := proc.Of(pid)
	if err != nil {
		f = proc.Figures{Threads: -1, RSS: -1, PeakRSS: -1, User: -1, System: -1, Voluntary: -1, Involuntary: -1}
		ks = -1 // sem amostragem não há pico: n/d, não 0
	}
	s.idle = f
	s.idleKStack, s.peakKStack = ks, ks
	s.record(f)
	if err != nil { // sem /proc: nada a amostrar
		close(s.done)
		return s
	}
	go s.loop()
	return s
}

func (s *sampler) record(f proc.Figures) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = f
	s.peakThreads = max(s.peakThreads, f.Threads)
	s.peakRSS = max(s.peakRSS, f.RSS, f.PeakRSS) // PeakRSS = VmHWM, o pico exato
}

func (s *sampler) loop() {
	defer close(s.done)
	wait := 50 * time.Millisecond
	for {
		select {
		case <-s.quit:
			return
		case <-time.After(wait):
		}
		t0 := time.Now()
		s.recordKStack(readKernelStack())
		f, err := proc.Of(s.pid)
		if err != nil {
			continue // o processo pode estar terminando
		}
		s.record(f)
		wait = max(50*time.Millisecond, 4*time.Since(t0))
	}
}

// stop encerra a amostragem com uma última leitura.
func (s *sampler) stop() {
	select {
	case <-s.done:
	default:
		close(s.quit)
		<-s.done
		s.recordKStack(readKernelStack())
		if f, err := proc.Of(s.pid); err == nil {
			s.record(f)
		}
	}
}

// recordKStack guarda uma leitura de KernelStack (-1: leitura falhou, ignora).
func (s *sampler) recordKStack(b int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b >= 0 && s.idleKStack >= 0 {
		s.peakKStack = max(s.peakKStack, b)
	}
}

// kstack devolve KernelStack em repouso e no pico, em bytes (-1 = n/d).
func (s *sampler) kstack() (idle, peak int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.idleKStack, s.peakKStack
}

func (s *sampler) result() (idle, last proc.Figures, peakThreads int, peakRSS int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.idle, s.last, s.peakThreads, s.peakRSS
}

// ---- o que cada etapa deve mostrar ----

// flatSlack: quantas threads um servidor "plano" pode ganhar sob carga: o
// runtime do Go acorda algumas threads de serviço (uma por P ocupado,
// sysmon, uma presa numa syscall...), 8 de folga mais 1 por 100 clientes
// (+28 com 2000 clientes): muito longe de uma por conexão.
func flatSlack(clients int) int { return 8 + clients/100 }

// outcomeText resume os desfechos para as explicações.
func outcomeText(r Row) string {
	s := fmt.Sprintf("%d/%d sucesso", r.Res.Count(summary.Success), r.Clients)
	if n := r.Res.Count(summary.Reset) + r.Res.Count(summary.Other); n > 0 {
		s += fmt.Sprintf(" (%d resetado/erro)", n)
	}
	return s
}

// allSucceeded: todos atendidos.
func allSucceeded(r Row) bool {
	return r.Res.Count(summary.Success) == r.Clients && r.Res.Total == r.Clients
}

// checkSequential (1.1): os 3 atendidos, um depois do outro: o último
// termina por volta de N × delay.
func checkSequential(r Row, delay time.Duration) Verdict {
	want := time.Duration(r.Clients) * delay
	seq := r.Res.Max >= want*9/10 && r.Res.Max <= want+max(2*time.Second, delay)
	return Verdict{Checked: true, OK: allSucceeded(r) && seq,
		Why: fmt.Sprintf("%s; sequencial: max %s ≈ %d×%v = %.2fs", outcomeText(r), dur(r.Res.Max), r.Clients, delay, want.Seconds())}
}

// checkBacklog (1.2): no Linux a fila cheia descarta o SYN em silêncio
// (KERNEL-NOTES.md): ninguém é recusado; pelo menos backlog+1 = 2 entram;
// quem entrou espera a vez, então ao menos um recebe a resposta e no máximo
// (janela / delay) + 1 (a janela é o prazo da resposta quando o delay passa
// do prazo de conexão (todos entram em t≈0: a fila só anda em t = delay,
// quando os de fora já desistiram; KERNEL-NOTES.md); com um delay menor
// (-rapido, testes) a fila anda enquanto os de fora ainda retransmitem o
// SYN, e quem entra no último instante (até o prazo de conexão + 1 s de
// granularidade das retransmissões) ainda tem o prazo da resposta inteiro).
// A fila do socket de escuta vista pelo kernel: checkQueue. Quantos
// expiram ao conectar depende de quando chegam os SYN e os ACK finais, e os
// SYN descartados contam retransmissões e o namespace inteiro: observação,
// não se verifica.
func checkBacklog(r Row, delay time.Duration) Verdict {
	ct, ref := r.Res.Count(summary.ConnectTimeout), r.Res.Count(summary.Refused)
	in := r.Res.Total - ct - ref
	ok := r.Res.Count(summary.Success)
	why := fmt.Sprintf("%d conectaram (connect() ok, o que não quer dizer aceitos), %d timeout de conexão, %d recusado, %d respondido(s)", in, ct, ref, ok)
	if runtime.GOOS != "linux" {
		return Verdict{Why: why + "; fila do kernel n/d (o comportamento da fila varia por sistema; só o Linux é verificado)"}
	}
	b := max(r.Backlog, 1) // o padrão do servergargalo é listen(1)
	okQ, queue := checkQueue(r.Queue, b, runtime.NumCPU())
	if r.Overflows >= 0 {
		queue += fmt.Sprintf("; %d SYN descartado(s) (ListenOverflows no namespace)", r.Overflows)
	}
	window := max(2*delay, 2*time.Second) // o -timeout do clientenervoso (clientArgs)
	if delay <= nervousConnect {
		window += nervousConnect + time.Second
	}
	most := int(window/max(delay, time.Millisecond)) + 1
	return Verdict{Checked: true, OK: ref == 0 && in >= min(r.Clients, 2) && ok >= 1 && ok <= most && okQ,
		Why: why + fmt.Sprintf("; Linux: fila cheia descarta o SYN (nunca recusa), ≥2 entram, 1..%d respondidos", most) + queue}
}

// checkQueue confere o pico da fila de accept de um listen(b) no Linux:
// Send-Q = b sempre; Recv-Q ≤ b+1 (sk_acceptq_is_full testa ">"). Mas o
// teste de fila cheia (tcp_v4_syn_recv_sock, ao chegar o ACK final) e o
// enfileiramento (inet_csk_reqsk_queue_add, que não testa de novo) não são
// atômicos: ACKs finais processados ao mesmo tempo em núcleos diferentes
// passam juntos pelo teste, e o Recv-Q pode ir a b + núcleos (visto com
// -race: 3 para listen(1) em 2 núcleos). Esse excesso é relatado como
// corrida do kernel; acima de b + núcleos, ou Send-Q ≠ b, é ✗.
func checkQueue(q tcpstat.Queue, b, cpus int) (bool, string) {
	if q.RecvQ < 0 || q.SendQ < 0 {
		return true, "; fila listen " + queueCell(q) + ": Send-Q/Recv-Q não verificados"
	}
	why := fmt.Sprintf("; fila listen: pico Recv-Q/Send-Q %s, Send-Q = backlog %d e Recv-Q ≤ backlog+1 = %d", queueCell(q), b, b+1)
	if q.RecvQ > b+1 {
		why = fmt.Sprintf("; fila listen: pico Recv-Q/Send-Q %s, Send-Q = backlog %d; Recv-Q %d > backlog+1 = %d: "+
			"ACKs finais processados juntos em núcleos diferentes passam ao mesmo tempo pelo teste de fila cheia "+
			"(corrida do kernel, tolerada até backlog+núcleos = %d)", queueCell(q), b, q.RecvQ, b+1, b+cpus)
	}
	return q.SendQ == b && q.RecvQ <= b+max(cpus, 1), why
}

// concurrent: todos terminam juntos, não em fila: até 2 × delay + 1 s (uma
// retransmissão de SYN: com muitos clientes de uma vez a fila de 128 do
// listen transborda e parte deles entra um segundo depois).
func concurrent(r Row, delay time.Duration) (bool, string) {
	bound := 2*delay + time.Second
	return r.Res.Max <= bound, fmt.Sprintf("max %s ≤ 2×delay+1s = %.2fs", dur(r.Res.Max), bound.Seconds())
}

// threadsGrew: no modelo thread o número de threads cresce com as conexões.
// Exigir pico ≥ N seria errado: se a fila do listen transbordou, parte dos
// clientes entra depois da retransmissão do SYN, quando os primeiros já
// saíram. Exige-se crescer pelo menos N/2.
func threadsGrew(r Row) (bool, string) {
	if r.PeakThreads < 0 || r.IdleThreads < 0 {
		return true, "threads n/d neste sistema"
	}
	g := r.PeakThreads - r.IdleThreads
	why := fmt.Sprintf("threads cresceram com as conexões: %d → %d (%+d ≥ N/2)", r.IdleThreads, r.PeakThreads, g)
	if r.PeakThreads < r.Clients {
		why += "; pico < N: nem todas ao mesmo tempo (em geral a fila do listen transbordou e parte entrou após retransmitir o SYN)"
	}
	return g >= r.Clients/2, why
}

// checkThreadPerConn (2.1): todos atendidos juntos; uma thread do SO por conexão.
func checkThreadPerConn(r Row, delay time.Duration) Verdict {
	okC, whyC := concurrent(r, delay)
	okT, whyT := threadsGrew(r)
	return Verdict{Checked: true, OK: allSucceeded(r) && okC && okT, Why: outcomeText(r) + "; " + whyC + "; " + whyT}
}

// threadsFlat: o número de threads não cresce com os clientes.
func threadsFlat(r Row) (bool, string) {
	if r.PeakThreads < 0 || r.IdleThreads < 0 {
		return true, "threads n/d neste sistema"
	}
	g := r.PeakThreads - r.IdleThreads
	return g <= flatSlack(r.Clients), fmt.Sprintf("threads planas: %d → %d (%+d, limite +%d)", r.IdleThreads, r.PeakThreads, g, flatSlack(r.Clients))
}

// checkFlat (goroutines, 3.3, Desafio): todos atendidos juntos, threads planas.
func checkFlat(r Row, delay time.Duration) Verdict {
	okC, whyC := concurrent(r, delay)
	okF, whyF := threadsFlat(r)
	return Verdict{Checked: true, OK: allSucceeded(r) && okC && okF, Why: outcomeText(r) + "; " + whyC + "; " + whyF}
}

// checkScaleFlat / checkScaleThreads (escala, 2000): todos atendidos; a
// latência é observação (carga e medição dividem os mesmos núcleos).
func checkScaleFlat(r Row, _ time.Duration) Verdict {
	okF, whyF := threadsFlat(r)
	return Verdict{Checked: true, OK: allSucceeded(r) && okF, Why: outcomeText(r) + "; " + whyF}
}

func checkScaleThreads(r Row, _ time.Duration) Verdict {
	okT, whyT := threadsGrew(r)
	return Verdict{Checked: true, OK: allSucceeded(r) && okT, Why: outcomeText(r) + "; " + whyT}
}
