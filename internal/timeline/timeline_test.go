package timeline

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"roteiro2/internal/summary"
)

// svgRow é uma linha lida de volta do SVG.
type svgRow struct {
	class   string
	cliente int // data-cliente, ou 0
	grupo   int // data-clientes (agregado), ou 0
}

// parse decodifica o SVG inteiro com encoding/xml (falha se não for XML
// bem formado) e devolve as linhas (os <g> com data-cliente/data-clientes)
// e o texto de todos os <text> e <title>.
func parse(t *testing.T, data []byte) (rows []svgRow, text string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var sb strings.Builder
	sawSVG := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("o SVG não é XML válido: %v\n%s", err, data)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local == "svg" {
				sawSVG = true
				if el.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("namespace do <svg>: %q", el.Name.Space)
				}
			}
			if el.Name.Local != "g" {
				continue
			}
			var r svgRow
			for _, a := range el.Attr {
				switch a.Name.Local {
				case "class":
					r.class = a.Value
				case "data-cliente":
					r.cliente, _ = strconv.Atoi(a.Value)
				case "data-clientes":
					r.grupo, _ = strconv.Atoi(a.Value)
				}
			}
			if r.cliente > 0 || r.grupo > 0 {
				rows = append(rows, r)
			}
		case xml.CharData:
			sb.Write(el)
			sb.WriteByte('\n')
		}
	}
	if !sawSVG {
		t.Fatal("não há elemento <svg>")
	}
	return rows, sb.String()
}

// fakeRows monta n clientes com desfechos variados, como numa rodada contra
// o servergargalo.
func fakeRows(n int) []Row {
	rows := make([]Row, n)
	for i := range rows {
		o := summary.Outcome(i % 6)
		r := Row{ID: i + 1, Outcome: o, Start: time.Duration(i%7) * time.Millisecond}
		switch o {
		case summary.Success, summary.ReplyTimeout, summary.Reset, summary.Other:
			r.Connected = r.Start + time.Millisecond
			r.End = time.Duration(1+i%5) * time.Second
		case summary.ConnectTimeout:
			r.Connected = -1
			r.End = 2 * time.Second
		case summary.Refused:
			r.Connected = -1
			r.End = r.Start + 100*time.Microsecond
		}
		rows[i] = r
	}
	return rows
}

func write(t *testing.T, sc Scenario, rows []Row) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, sc, rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var scenario = Scenario{Program: "clientenervoso", Addr: "127.0.0.1:65432",
	ConnectTimeout: 2 * time.Second, ReplyTimeout: 10 * time.Second, Mode: "padrão"}

func TestOneRowPerClientWithItsOutcome(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 10, 200, MaxRows} {
		rows := fakeRows(n)
		got, text := parse(t, write(t, scenario, rows))
		if len(got) != n {
			t.Fatalf("N=%d: %d linhas no SVG", n, len(got))
		}
		for i, g := range got {
			if g.cliente != rows[i].ID || g.class != rows[i].Outcome.Key() {
				t.Fatalf("N=%d linha %d: class=%q cliente=%d; esperava %q cliente=%d",
					n, i, g.class, g.cliente, rows[i].Outcome.Key(), rows[i].ID)
			}
		}
		for _, want := range []string{"clientenervoso", "127.0.0.1:65432", "N=" + strconv.Itoa(n),
			"2s", "10s", "modo padrão", "uma linha por cliente", "segundos desde a largada comum"} {
			if !strings.Contains(text, want) {
				t.Errorf("N=%d: o texto do SVG não menciona %q", n, want)
			}
		}
		if strings.Contains(text, "agregado") {
			t.Errorf("N=%d: não deveria agregar", n)
		}
	}
}

func TestLegendNamesEveryOutcome(t *testing.T) {
	t.Parallel()
	_, text := parse(t, write(t, scenario, fakeRows(3)))
	for _, want := range []string{"sucesso", "timeout conexão", "timeout resposta", "recusado", "resetado", "erro",
		"esperando para entrar", "esperando a resposta"} {
		if !strings.Contains(text, want) {
			t.Errorf("a legenda não tem %q", want)
		}
	}
}

func TestAggregatesLargeRuns(t *testing.T) {
	t.Parallel()
	const n = 19000
	rows := fakeRows(n)
	data := write(t, scenario, rows)
	got, text := parse(t, data)
	if len(got) > 2*aggRows || len(got) < aggRows/2 {
		t.Fatalf("%d faixas para %d clientes", len(got), n)
	}
	if !strings.Contains(text, "agregado") || !strings.Contains(text, "N=19000") {
		t.Errorf("o título não diz que agregou:\n%s", text[:min(len(text), 600)])
	}
	// Cada cliente está em exatamente uma faixa do seu desfecho.
	var want, sum [summary.Other + 1]int
	for _, r := range rows {
		want[r.Outcome]++
	}
	for _, g := range got {
		if g.cliente != 0 || g.grupo < 1 {
			t.Fatalf("faixa agregada malformada: %+v", g)
		}
		o := outcomeOf(t, g.class)
		sum[o] += g.grupo
	}
	if sum != want {
		t.Fatalf("clientes por desfecho nas faixas %v, esperava %v", sum, want)
	}
	if len(data) > 400<<10 {
		t.Errorf("SVG de %d KiB para %d clientes: a agregação deveria mantê-lo pequeno", len(data)>>10, n)
	}
}

func TestJustAboveLimitAggregates(t *testing.T) {
	t.Parallel()
	got, _ := parse(t, write(t, scenario, fakeRows(MaxRows+1)))
	total := 0
	for _, g := range got {
		if g.grupo == 0 {
			t.Fatalf("linha individual acima de MaxRows: %+v", g)
		}
		total += g.grupo
	}
	if total != MaxRows+1 {
		t.Fatalf("as faixas somam %d clientes", total)
	}
}

func TestEdgeCases(t *testing.T) {
	t.Parallel()
	// Nenhum cliente, todos no instante zero, nomes com caracteres de XML.
	sc := Scenario{Program: `a<b>&"c"`, Addr: "127.0.0.1:1"}
	parse(t, write(t, sc, nil))
	got, text := parse(t, write(t, sc, []Row{{ID: 1, Outcome: summary.Refused, Connected: -1}}))
	if len(got) != 1 || got[0].class != "recusado" {
		t.Fatalf("linhas: %+v", got)
	}
	if !strings.Contains(text, `a<b>&"c"`) || !strings.Contains(text, "prazo p/ entrar nenhum") {
		t.Errorf("título: %s", text)
	}
}

func outcomeOf(t *testing.T, key string) summary.Outcome {
	t.Helper()
	for o := summary.Success; o <= summary.Other; o++ {
		if o.Key() == key {
			return o
		}
	}
	t.Fatalf("classe desconhecida %q", key)
	return 0
}

func TestTickStep(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ max, want float64 }{{0, 0.01}, {0.3, 0.05}, {5.3, 0.5}, {12, 1}, {70, 10}} {
		if got := tickStep(c.max); got != c.want {
			t.Errorf("tickStep(%v) = %v, esperava %v", c.max, got, c.want)
		}
	}
}
