// Package timeline desenha a linha do tempo de uma rodada de clientes como
// um SVG escrito à mão (só a biblioteca padrão; sem CSS, fontes ou scripts
// externos, para o GitHub mostrar a imagem como está).
//
// Uma linha por cliente; o eixo x são os segundos desde a largada comum.
// Cada linha tem duas barras na cor do desfecho:
//
//	clara: esperando para ENTRAR (o connect(), até o kernel do servidor
//	       completar o handshake, ou até o prazo estourar)
//	forte: já dentro, esperando a RESPOSTA (até o fim da resposta ou o erro)
//
// e um traço escuro no instante do desfecho. De relance: a escada do
// serverbloq (um atendido por vez), as falhas do servergargalo, a coluna
// única do server e do server_async (todos respondidos juntos).
//
// Até MaxRows clientes há uma linha por cliente, na ordem dos ids. Acima
// disso as linhas são agregadas: os clientes são ordenados por desfecho e
// término e agrupados em faixas de até k clientes do mesmo desfecho; cada
// faixa mostra as medianas (barras) e o intervalo dos términos (um fio), e o
// título diz que houve agregação.
package timeline

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"roteiro2/internal/summary"
)

// Row é um cliente. Tempos desde a largada comum.
type Row struct {
	ID        int
	Outcome   summary.Outcome
	Start     time.Duration // começou a tentar entrar
	Connected time.Duration // o connect() deu certo; negativo se nunca entrou
	End       time.Duration // desfecho: resposta completa ou erro
}

// Scenario é o que o título diz da rodada.
type Scenario struct {
	Program        string        // "clientenervoso"
	Addr           string        // "127.0.0.1:65432"
	ConnectTimeout time.Duration // 0 = sem prazo
	ReplyTimeout   time.Duration // 0 = sem prazo
	Mode           string        // "padrão", "-original (...)"; vazio = omitido
}

// MaxRows é o número de clientes acima do qual as linhas são agregadas.
const MaxRows = 500

// aggRows é o número aproximado de faixas quando há agregação.
const aggRows = 200

// Cores (paleta Okabe–Ito, distinguível por quem não vê cores) e nomes na legenda.
var (
	colors = [...]string{"#009E73", "#E69F00", "#CC79A7", "#D55E00", "#0072B2", "#555555"}
	labels = [...]string{"sucesso", "timeout conexão", "timeout resposta", "recusado", "resetado", "erro"}
)

// Layout, em pixels.
const (
	width      = 980
	left       = 96 // rótulos das linhas
	right      = 24
	plotW      = width - left - right
	legendH    = 50
	axisH      = 40
	maxPlotH   = 900
	rowHMax    = 18
	rowHMin    = 3
	labelEvery = 12 // distância mínima entre rótulos de linha
)

// band é o que se desenha numa linha: um cliente, ou uma faixa de clientes.
type band struct {
	outcome              summary.Outcome
	start, connected     time.Duration // connected < 0: não entrou
	end, endMin, endMax  time.Duration
	label, tip, dataAttr string
}

// Write escreve o SVG da rodada em w.
func Write(w io.Writer, sc Scenario, rows []Row) error {
	bands, aggregated := makeBands(rows)

	rowH := rowHMax
	if len(bands) > 0 {
		rowH = max(rowHMin, min(rowHMax, maxPlotH/len(bands)))
	}
	plotH := max(rowH, rowH*len(bands))

	// Escala do eixo x: de 0 ao último término, arredondado a um passo "redondo".
	var tmax time.Duration
	for _, b := range bands {
		tmax = max(tmax, b.endMax, b.end)
	}
	if sc.ConnectTimeout > 0 && sc.ConnectTimeout < 2*tmax {
		tmax = max(tmax, sc.ConnectTimeout)
	}
	step := tickStep(tmax.Seconds())
	xmaxS := math.Max(step, math.Ceil(tmax.Seconds()/step)*step)
	x := func(d time.Duration) float64 {
		return left + math.Max(0, math.Min(1, d.Seconds()/xmaxS))*plotW
	}

	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	header := headerLines(sc, rows, bands, aggregated)
	titleH := 14 + 18*len(header)
	top := titleH + legendH
	height := top + plotH + axisH
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n",
		width, height, width, height)
	p("<title>%s</title>\n", esc(strings.Join(header, " — ")))
	p(`<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`+"\n", width, height)
	for i, line := range header {
		if i == 0 {
			p(`<text x="12" y="22" font-size="15" font-weight="bold" fill="#222">%s</text>`+"\n", esc(line))
		} else {
			p(`<text x="12" y="%d" fill="#444">%s</text>`+"\n", 22+18*i, esc(line))
		}
	}

	// Legenda: uma amostra por desfecho, e o que é barra clara e barra forte.
	p(`<g class="legenda">` + "\n")
	lx := 12
	for o := summary.Success; o <= summary.Other; o++ {
		p(`<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d" fill="#222">%s</text>`+"\n",
			lx, titleH, colors[o], lx+16, titleH+10, esc(labels[o]))
		lx += 28 + 7*len([]rune(labels[o]))
	}
	p(`<rect x="12" y="%d" width="24" height="10" fill="#777" fill-opacity="0.35"/><text x="40" y="%d" fill="#444">clara: esperando para entrar (connect)</text>`+"\n",
		titleH+20, titleH+29)
	p(`<rect x="290" y="%d" width="24" height="10" fill="#777"/><text x="318" y="%d" fill="#444">forte: dentro, esperando a resposta</text>`+"\n",
		titleH+20, titleH+29)
	p(`<rect x="560" y="%d" width="2" height="10" fill="#111"/><text x="568" y="%d" fill="#444">traço: desfecho</text>`+"\n",
		titleH+20, titleH+29)
	p("</g>\n")

	// Grade e eixo.
	p(`<g class="eixo" stroke="#e4e4e4" stroke-width="1">` + "\n")
	for s := 0.0; s <= xmaxS+step/1000; s += step {
		xs := left + s/xmaxS*plotW
		p(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>`+"\n", xs, top, xs, top+plotH)
	}
	p("</g>\n")
	p(`<g class="eixo" fill="#444" text-anchor="middle">` + "\n")
	for s := 0.0; s <= xmaxS+step/1000; s += step {
		xs := left + s/xmaxS*plotW
		p(`<text x="%.1f" y="%d">%s</text>`+"\n", xs, top+plotH+15, fmtTick(s, step))
	}
	p(`<text x="%d" y="%d">segundos desde a largada comum</text>`+"\n", left+plotW/2, top+plotH+32)
	p("</g>\n")
	if sc.ConnectTimeout > 0 && sc.ConnectTimeout.Seconds() <= xmaxS {
		xc := x(sc.ConnectTimeout)
		p(`<g class="prazo"><line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#E69F00" stroke-dasharray="4 3"/>`+
			`<text x="%.1f" y="%d" fill="#8a5d00" font-size="10">prazo p/ entrar</text></g>`+"\n",
			xc, top, xc, top+plotH, xc+3, top-3)
	}

	// As linhas.
	every := max(1, (labelEvery+rowH-1)/rowH)
	bar := max(1, rowH-1)
	if rowH >= 8 {
		bar = rowH - 3
	}
	p(`<g class="linhas">` + "\n")
	for i, b := range bands {
		y := top + i*rowH
		c := colors[b.outcome]
		p(`<g class="%s" %s><title>%s</title>`, b.outcome.Key(), b.dataAttr, esc(b.tip))
		x0, xe := x(b.start), x(b.end)
		if b.connected >= 0 {
			xc := x(b.connected)
			p(`<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s" fill-opacity="0.35"/>`, x0, y, math.Max(0.5, xc-x0), bar, c)
			p(`<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>`, xc, y, math.Max(1, xe-xc), bar, c)
		} else {
			// Sem fase "dentro": um mínimo de 4 px para a cor do desfecho
			// aparecer mesmo quando a falha foi instantânea (recusado).
			p(`<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s" fill-opacity="0.35"/>`, x0, y, math.Max(4, xe-x0), bar, c)
			if xe-x0 < 4 {
				p(`<rect x="%.1f" y="%d" width="4" height="%d" fill="%s"/>`, x0, y, bar, c)
			}
		}
		if b.endMax > b.endMin {
			ym := float64(y) + float64(bar)/2
			p(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="1"/>`, x(b.endMin), ym, x(b.endMax), ym, c)
		}
		p(`<rect x="%.1f" y="%d" width="2" height="%d" fill="#111"/>`, xe-1, y, bar)
		if i%every == 0 {
			p(`<text x="%d" y="%d" text-anchor="end" font-size="%d" fill="#444">%s</text>`,
				left-6, y+min(bar, 11), min(11, max(8, rowH*every-2)), esc(b.label))
		}
		p("</g>\n")
	}
	p("</g>\n</svg>\n")
	return bw.Flush()
}

// makeBands transforma os clientes em linhas: uma por cliente até MaxRows,
// faixas agregadas acima disso.
func makeBands(rows []Row) ([]band, bool) {
	if len(rows) <= MaxRows {
		out := make([]band, len(rows))
		for i, r := range rows {
			out[i] = band{
				outcome: r.Outcome, start: r.Start, connected: r.Connected,
				end: r.End, endMin: r.End, endMax: r.End,
				label:    fmt.Sprintf("cliente %d", r.ID),
				tip:      rowTip(r),
				dataAttr: fmt.Sprintf(`data-cliente="%d"`, r.ID),
			}
			if r.Connected < 0 {
				out[i].connected = -1
			}
		}
		return out, false
	}
	sorted := slices.Clone(rows)
	slices.SortFunc(sorted, func(a, b Row) int {
		if a.Outcome != b.Outcome {
			return int(a.Outcome) - int(b.Outcome)
		}
		if a.End != b.End {
			return cmpDur(a.End, b.End)
		}
		return a.ID - b.ID
	})
	k := (len(rows) + aggRows - 1) / aggRows
	var out []band
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && j-i < k && sorted[j].Outcome == sorted[i].Outcome {
			j++
		}
		out = append(out, aggregate(sorted[i:j]))
		i = j
	}
	return out, true
}

func aggregate(g []Row) band {
	starts := make([]time.Duration, 0, len(g))
	ends := make([]time.Duration, 0, len(g))
	var conns []time.Duration
	for _, r := range g {
		starts = append(starts, r.Start)
		ends = append(ends, r.End)
		if r.Connected >= 0 {
			conns = append(conns, r.Connected)
		}
	}
	slices.Sort(starts)
	slices.Sort(conns)
	slices.Sort(ends)
	b := band{
		outcome: g[0].Outcome, start: median(starts), connected: -1,
		end: median(ends), endMin: ends[0], endMax: ends[len(ends)-1],
		label:    fmt.Sprintf("%d clientes", len(g)),
		dataAttr: fmt.Sprintf(`data-clientes="%d"`, len(g)),
	}
	// A faixa só mostra "dentro" se a maioria entrou.
	if 2*len(conns) >= len(g) {
		b.connected = median(conns)
	}
	b.tip = fmt.Sprintf("%d clientes (%s): término mediano %s, de %s a %s", len(g), labels[b.outcome],
		secs(b.end), secs(b.endMin), secs(b.endMax))
	return b
}

func median(s []time.Duration) time.Duration {
	if len(s) == 0 {
		return -1
	}
	return s[(len(s)-1)/2]
}

func cmpDur(a, b time.Duration) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func rowTip(r Row) string {
	in := "não entrou"
	if r.Connected >= 0 {
		in = "entrou em " + secs(r.Connected)
	}
	return fmt.Sprintf("cliente %d: %s; %s; desfecho em %s", r.ID, labels[r.Outcome], in, secs(r.End))
}

// headerLines: título (programa, servidor, N), prazos e modo, contagem por
// desfecho e, se houve, a explicação da agregação.
func headerLines(sc Scenario, rows []Row, bands []band, aggregated bool) []string {
	head := sc.Program
	if sc.Addr != "" {
		head += " → " + sc.Addr
	}
	lines := []string{strings.TrimSpace(head) + fmt.Sprintf(" · N=%d", len(rows))}
	l2 := "prazo p/ entrar " + limit(sc.ConnectTimeout) + " · prazo da resposta " + limit(sc.ReplyTimeout)
	if sc.Mode != "" {
		l2 += " · modo " + sc.Mode
	}
	lines = append(lines, l2)

	var counts [summary.Other + 1]int
	for _, r := range rows {
		counts[r.Outcome]++
	}
	var parts []string
	for o := summary.Success; o <= summary.Other; o++ {
		if counts[o] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", labels[o], counts[o]))
		}
	}
	s := strings.Join(parts, ", ")
	if s == "" {
		s = "nenhum cliente"
	}
	if !aggregated {
		return append(lines, s+" — uma linha por cliente")
	}
	k := (len(rows) + aggRows - 1) / aggRows
	return append(lines, s, fmt.Sprintf("agregado: %d clientes em %d linhas de até %d, ordenados por desfecho e término "+
		"(barras = medianas; fio = do primeiro ao último término)", len(rows), len(bands), k))
}

func limit(d time.Duration) string {
	if d <= 0 {
		return "nenhum"
	}
	return d.String()
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }

// tickStep escolhe um passo "redondo" para no máximo ~12 marcas no eixo.
func tickStep(maxS float64) float64 {
	for _, s := range []float64{0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600} {
		if maxS/s <= 12 {
			return s
		}
	}
	return math.Ceil(maxS/12/600) * 600
}

func fmtTick(s, step float64) string {
	switch {
	case step >= 1:
		return fmt.Sprintf("%.0f", s)
	case step >= 0.1:
		return fmt.Sprintf("%.1f", s)
	}
	return fmt.Sprintf("%.2f", s)
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
